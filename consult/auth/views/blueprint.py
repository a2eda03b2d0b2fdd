"""The auth blueprint and what its views share.

The rate limits and their keys (the sign-in ones come from consult.auth.limits),
the same-site path to return to after signing in, and the sign-in finished (by
password alone or after the code).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.auth import services
from consult.auth.session import begin_session
from consult.auth.totp import SecretUnreadable
from consult.extensions import db
from consult.i18n import adopt_cookie_choice

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.errorhandler(SecretUnreadable)
def _secret_unreadable(exc: SecretUnreadable) -> tuple[str, int]:
    """Say what the person can do, not a stack trace (the log tells the operator why)."""
    db.session.rollback()
    message = _(
        "Your two-factor codes cannot be checked right now: the server cannot read your "
        "two-factor settings. Sign in with one of your recovery codes instead, or ask an "
        "administrator, who has been told what to fix."
    )
    page = render_template(
        "errors/error.html", status=503, title=_("Temporarily unavailable"), message=message
    )
    return page, 503


def pending_key() -> str:
    """Count code attempts per account halfway through signing in."""
    pending = session.get("consult_pending")
    user = pending.get("user", "") if isinstance(pending, dict) else ""
    return "2fa:" + str(user).split(":", 1)[0]


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to after login, or None for anything else."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def finish_login(user, next_path: str | None) -> Response:  # noqa: ANN001
    begin_session(user)
    services.mark_logged_in(user)
    adopt_cookie_choice(user)
    db.session.commit()
    return redirect(safe_next(next_path) or url_for("main.home"))
