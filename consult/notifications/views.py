"""The notification list, the email choice, and the outbox's state for administrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult.access import login_only, requires
from consult.actions import answer_refusal, run_actions
from consult.audit.services import record
from consult.errors import DomainError
from consult.extensions import db
from consult.notifications import services
from consult.notifications.models import OutboxMail
from consult.notifications.outbox import outbox_counts, retry_failed

bp = Blueprint("notifications", __name__)

#: Rows of the outbox the admin page lists.
OUTBOX_ROWS = 50


def _back_to_list(error: DomainError) -> Any:
    flash(error.message, "error")
    return redirect(url_for("notifications.index"))


run_actions(bp, _back_to_list)


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The signed-in person's unread count, for the navigation."""
    return services.unread_count(current_user)


def _page(errors: dict[str, list[str]] | None = None, chosen: str | None = None) -> str:
    return render_template(
        "notifications/index.html",
        notes=services.notifications_of(current_user),
        choices=services.frequency_choices(),
        chosen=chosen or services.current_frequency(current_user).value,
        errors=errors or {},
    )


@bp.route("/notifications")
@login_only
def index() -> str:
    return _page()


@bp.route("/notifications/<notification_id>", methods=["POST"])
@login_only
def open_one(notification_id: str) -> Response:
    if not notification_id.isdigit():
        abort(404)
    url = services.open_notification(current_user, int(notification_id))
    if url is None:
        abort(404)
    return redirect(url)


@bp.route("/notifications/read", methods=["POST"])
@login_only
def read_all() -> Response:
    services.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/email", methods=["POST"])
@login_only
def email_choice() -> Any:
    value = request.form.get("frequency")
    answer_refusal(lambda error: (_page(error.fields, value), 400))
    services.choose_frequency(current_user, value)
    flash(_("Your email choice is saved."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/admin/outbox")
@requires("administer")
def outbox() -> str:
    rows = db.session.scalars(
        select(OutboxMail).order_by(OutboxMail.id.desc()).limit(OUTBOX_ROWS)
    ).all()
    return render_template("notifications/outbox.html", counts=outbox_counts(), rows=rows)


@bp.route("/admin/outbox/retry", methods=["POST"])
@requires("administer")
def retry() -> Response:
    count = retry_failed()
    record("outbox.retried", current_user, object_type="outbox_mails", count=count)
    flash(
        ngettext("%(num)d email is queued again.", "%(num)d emails are queued again.", count),
        "success",
    )
    return redirect(url_for("notifications.outbox"))
