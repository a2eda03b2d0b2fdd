"""Dismissing possible identifiers on the review page ("not an identifier")."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from consult.access import requires
from consult.review import services
from consult.review.forms import VersionForm
from consult.review.views.actions import _answer
from consult.review.views.blueprint import bp
from consult.review.views.input_page import load_for_action


@bp.route("/inputs/<input_id>/findings/dismiss", methods=["POST"])
@requires("review")
def dismiss_findings(input_id: str) -> Any:
    """Dismiss the possible identifiers the reviewer ticked (the same boxes as for redacting)."""
    item = load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    _answer(item, anchor="#identifiers")
    count = services.dismiss_findings(
        current_user, item, request.form.getlist("redact"), version=form.version.data
    )
    flash(
        ngettext(
            "%(num)d possible identifier dismissed.",
            "%(num)d possible identifiers dismissed.",
            count,
        ),
        "success",
    )
    return redirect(url_for("review.input", input_id=item.id) + "#identifiers")
