"""Ending every way into an account at once: web sessions and API tokens.

Signing out, a password change or reset, an administrator's reset of the
second factor, a role change and a deactivation all mean "whoever holds an
old credential of this account must hold nothing any more". Sessions end by
bumping the session generation; API tokens are revoked, each of them, and the
audit log says how many and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from consult.audit.services import record
from consult.auth.session import end_all_sessions
from consult.extensions import db
from consult.timeutil import utcnow


def revoke_all_api_tokens(user: Any, actor: Any, reason: str) -> int:
    """Revoke every usable API token of ``user``; returns how many (the caller commits)."""
    from consult.api.models import ApiToken

    tokens = list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
    )
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    if tokens:
        record(
            "api_tokens.revoked_all",
            actor,
            user,
            reason=reason,
            count=len(tokens),
            token_ids=[str(token.id) for token in tokens],
        )
    return len(tokens)


def end_all_access(user: Any, actor: Any, reason: str) -> int:
    """End every session of ``user`` and revoke all their API tokens (the caller commits).

    ``reason`` names the event in the audit log (``logout``, ``password_changed``...).
    Returns how many tokens were revoked.
    """
    end_all_sessions(user)
    return revoke_all_api_tokens(user, actor, reason)
