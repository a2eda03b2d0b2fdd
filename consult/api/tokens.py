"""Personal access tokens: created once, stored as a SHA-256, revoked by their owner.

The token itself is shown to its owner once and never stored. Requests carry
it as ``Authorization: Bearer <token>``; the server looks it up by its hash.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.audit.services import record
from consult.errors import DomainError
from consult.extensions import db
from consult.timeutil import utcnow

#: Every token starts with this, so a leaked one is easy to recognise (and to grep for).
TOKEN_PREFIX = "cst_"  # noqa: S105 - a prefix, not a secret
NAME_MAX = 100
#: ``last_used_at`` is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(seconds=60)


class TokenError(DomainError):
    """A token cannot be created as asked; ``fields`` says which value is wrong."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(user, name: str, *, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token (shown once)."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name."), {"name": [_("Give the token a name.")]})
    if len(name) > NAME_MAX:
        message = _("The name may have at most %(num)d characters.", num=NAME_MAX)
        raise TokenError(message, {"name": [message]})
    if expires_at is not None and expires_at <= utcnow():
        message = _("The expiry must be in the future.")
        raise TokenError(message, {"expires_at": [message]})
    _check_staff_expiry(user, expires_at)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record("api_token.created", user, token, name=name)
    return token, raw


def staff_token_max_days() -> int:
    return int(current_app.config["API_STAFF_TOKEN_MAX_DAYS"])


def latest_staff_expiry() -> datetime:
    """The latest expiry an EU staff token may have, from now."""
    return utcnow() + timedelta(days=staff_token_max_days())


def _check_staff_expiry(user, expires_at: datetime | None) -> None:
    """EU staff tokens must expire, and soon.

    Staff sign in with a second factor; a token skips it for as long as it lives,
    so a forgotten or leaked one must not work forever.
    """
    if not user.is_eu_staff:
        return
    days = staff_token_max_days()
    if expires_at is None:
        message = ngettext(
            "Tokens of EU staff must expire: choose a day within %(num)d day.",
            "Tokens of EU staff must expire: choose a day within %(num)d days.",
            days,
        )
        raise TokenError(message, {"expires_at": [message]})
    # A day of slack: the web form counts whole days, ending at midnight UTC.
    if expires_at > latest_staff_expiry() + timedelta(days=1):
        message = ngettext(
            "Tokens of EU staff may last at most %(num)d day.",
            "Tokens of EU staff may last at most %(num)d days.",
            days,
        )
        raise TokenError(message, {"expires_at": [message]})


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones included, marked as such)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def token_of(user, token_id: str | uuid.UUID) -> ApiToken | None:
    """The user's own token with that id, or None (never someone else's)."""
    try:
        key = token_id if isinstance(token_id, uuid.UUID) else uuid.UUID(str(token_id))
    except ValueError:
        return None
    token = db.session.get(ApiToken, key)
    if token is None or token.user_id != user.id:
        return None
    return token


def revoke_token(user, token: ApiToken) -> None:
    """Revoke ``token`` (a no-op when it already is)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("api_token.revoked", user, token)


def authenticate(raw: str | None) -> ApiToken | None:
    """The usable token for a bearer string, or None (unknown, expired, revoked, inactive user)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    now = utcnow()
    if token is None or not token.is_usable_at(now) or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
