"""The review blueprint and the status names EU staff read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consult.actions import run_actions
from consult.errors import DomainError
from consult.inputs.states import STATUS_LABELS, Status

bp = Blueprint("review", __name__, url_prefix="/review")


def _back_to_queue(error: DomainError) -> Any:
    """A refusal no view answered its own way: say it on the queue page."""
    flash(error.message, "error")
    return redirect(url_for("review.queue"))


run_actions(bp, _back_to_queue)


#: Status names as EU staff read them: the CSO-facing "Returned to you" would
#: tell a moderator the input came back to *them*.
STAFF_STATUS_LABELS: dict[Status, Any] = {
    **STATUS_LABELS,
    Status.RETURNED: _l("Returned to the CSO"),
}


@bp.app_template_filter("staff_status_label")
def staff_status_label(value: str) -> str:
    try:
        return str(STAFF_STATUS_LABELS[Status(value)])
    except ValueError:
        return value


@bp.app_context_processor
def _attention() -> dict[str, Any]:
    """``new_in_queue(kind)`` for the navigation: arrived since the reader's last look."""
    from consult.review.visits import count_new, last_visit

    def new_in_queue(kind: str) -> int:
        if not current_user.is_authenticated:
            return 0
        return count_new(current_user, kind, last_visit(current_user, kind))

    return {"new_in_queue": new_in_queue}
