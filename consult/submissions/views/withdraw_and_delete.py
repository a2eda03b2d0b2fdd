"""Taking an input back: withdrawing a submitted input, deleting a draft."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from consult.access import requires
from consult.extensions import db
from consult.inputs.scope import load_input
from consult.submissions import services
from consult.submissions.views.blueprint import bp


@bp.route("/inputs/<input_id>/withdraw", methods=["POST"])
@requires("submit_input")
def withdraw(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    try:
        services.withdraw(current_user, item)
        db.session.commit()
    except (services.SubmissionError, StaleDataError) as exc:
        db.session.rollback()
        message = (
            exc.message
            if isinstance(exc, services.SubmissionError)
            else _("The input changed meanwhile; it was not withdrawn.")
        )
        flash(message, "error")
    else:
        flash(_("Your input is withdrawn. It will not be reviewed."), "success")
    return redirect(url_for("submissions.input_detail", input_id=input_id))


@bp.route("/inputs/<input_id>/delete", methods=["POST"])
@requires("submit_input")
def delete_draft(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    try:
        services.delete_draft(current_user, item)
        db.session.commit()
    except services.SubmissionError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("submissions.input_detail", input_id=input_id))
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("submissions.my_inputs"))
