"""Changing an account's role: every session ends and every API token is revoked.

A token or a session opened under the old role must not carry the old
role's reach (or a reach the new role should not have) a second longer.
"""

from __future__ import annotations

from typing import Any

from consult.audit.services import record
from consult.auth.models import User
from consult.auth.revocation import end_all_access
from consult.auth.roles import Role
from consult.auth.services import AccountError
from consult.extensions import db


def change_role(
    actor: Any,
    user: User,
    role: str,
    *,
    organisation: Any = None,
    delegation: Any = None,
) -> bool:
    """Give ``user`` the role ``role`` (with the membership it needs); the caller commits.

    Returns whether anything changed. Raises :class:`AccountError` when the
    role or its membership is wrong.
    """
    try:
        new = Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}; use one of: {', '.join(Role)}.") from None
    if new == Role.CSO and organisation is None:
        raise AccountError("A CSO member needs an organisation (--org).")
    if new == Role.MODERATOR and delegation is None:
        raise AccountError("A moderator needs a delegation (--delegation).")
    organisation_id = organisation.id if new == Role.CSO else None
    delegation_slug = delegation.slug if new == Role.MODERATOR else None
    if (user.role, user.organisation_id, user.delegation_slug) == (
        new.value,
        organisation_id,
        delegation_slug,
    ):
        return False
    old = user.role
    user.role = new.value
    user.organisation_id = organisation_id
    user.delegation_slug = delegation_slug
    if new != Role.CSO:
        user.is_org_admin = False
    end_all_access(user, actor, "role_changed")
    record("user.role_changed", actor, user, old_role=old, new_role=new.value)
    db.session.flush()
    return True
