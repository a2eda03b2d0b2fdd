"""Taking an input back: withdrawing a submitted input, deleting a draft.

Run through :mod:`consult.actions`: a success is committed once after the view,
a refusal is rolled back and said on the input's page.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from consult.access import requires
from consult.actions import answer_refusal
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.scope import load_input
from consult.submissions import services
from consult.submissions.views.blueprint import bp


def _back_to_input(input_id: str) -> None:
    """A refusal is said on the input's own page."""

    def answer(error: DomainError) -> Response:
        flash(error.message, "error")
        return redirect(url_for("submissions.input_detail", input_id=input_id))

    answer_refusal(answer)


@bp.route("/inputs/<input_id>/withdraw", methods=["POST"])
@requires("submit_input")
def withdraw(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    _back_to_input(input_id)
    try:
        services.withdraw(current_user, item)
    except StaleDataError:
        db.session.rollback()
        flash(_("The input changed meanwhile; it was not withdrawn."), "error")
    else:
        flash(_("Your input is withdrawn. It will not be reviewed."), "success")
    return redirect(url_for("submissions.input_detail", input_id=input_id))


@bp.route("/inputs/<input_id>/delete", methods=["POST"])
@requires("submit_input")
def delete_draft(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    _back_to_input(input_id)
    services.delete_draft(current_user, item)
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("submissions.my_inputs"))
