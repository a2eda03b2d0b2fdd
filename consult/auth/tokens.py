"""One-time account links (invitations, password resets).

The link carries a random token; only its SHA-256 is stored, so a copy of
the database does not hold working links. A token expires and works once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum

from flask import current_app, has_request_context, request
from sqlalchemy import select, update

from consult.auth.models import AccountToken, User
from consult.extensions import db
from consult.timeutil import utcnow


class Purpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


#: How long a link works, unless the configuration says otherwise.
DEFAULT_LIFETIME = {
    Purpose.INVITE: timedelta(days=7),
    Purpose.RESET: timedelta(hours=1),
}

_CONFIG_KEY = {Purpose.INVITE: "INVITE_VALID_HOURS", Purpose.RESET: "RESET_VALID_MINUTES"}


def _lifetime(purpose: Purpose) -> timedelta:
    value = current_app.config.get(_CONFIG_KEY[purpose])
    if not value:
        return DEFAULT_LIFETIME[purpose]
    if purpose == Purpose.INVITE:
        return timedelta(hours=int(value))
    return timedelta(minutes=int(value))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, purpose: Purpose) -> str:
    """A new one-time token for ``user``; earlier unused ones of that purpose stop working."""
    revoke_tokens(user, purpose)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + _lifetime(purpose),
        )
    )
    db.session.flush()
    return token


def find_valid_token(token: str, purpose: Purpose) -> AccountToken | None:
    """The unused, unexpired token row for ``token``, or None."""
    if not token or len(token) > 200:
        return None
    row = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose.value
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def revoke_tokens(user: User, purpose: Purpose) -> None:
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose.value,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def link_for(endpoint_path: str, token: str) -> str:
    """The absolute link to send (``CONSULT_PUBLIC_URL`` + path).

    In development the link is built from the request that asks for it, so an
    app served on another port or host than ``CONSULT_PUBLIC_URL`` says still
    sends links that open. Elsewhere the configured address is the only one
    trusted (a Host header is the client's to choose).
    """
    base = current_app.config.get("PUBLIC_URL", "")
    if current_app.config.get("ENV_NAME") == "development" and has_request_context():
        base = request.host_url
    return f"{base.rstrip('/')}{endpoint_path}{token}"
