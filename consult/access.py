"""Who may do what, and who may see which object: the one place views ask.

Every view is guarded by :func:`requires` (a permission from
``consult.auth.roles.PERMISSIONS``), :func:`login_only` (any signed-in user)
or :func:`public`; a test walks the URL map and fails for a view with none.
Objects are loaded through loaders that return 404 outside the caller's
scope, so a guess never confirms that an object exists; the loaders and
scope rules of inputs live in :mod:`consult.inputs.scope`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask import abort, request
from flask_login import current_user, login_required

from consult.auth.roles import PERMISSIONS, Role
from consult.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

#: Attribute set on a view function to record how it is guarded.
GUARD_ATTR = "_consult_guard"


def deny(
    user: Any, reason: str, *, object_type: str | None = None, object_id: Any = None
) -> NoReturn:
    """Answer 404, and audit the denial when a signed-in user was refused.

    The request's own pending changes are rolled back first (a refused request
    changes nothing) and the audit row is committed on its own, so the denial
    is on record even though the request fails. Auditing is best effort: a
    database error here never turns the 404 into a 500.
    """
    if user is not None and getattr(user, "is_authenticated", False):
        from sqlalchemy.exc import SQLAlchemyError

        from consult.audit.services import record

        try:
            db.session.rollback()
            record(
                "access.denied",
                user,
                object_type=object_type,
                object_id=str(object_id)[:64] if object_id is not None else None,
                reason=reason,
                endpoint=request.endpoint,
            )
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
    abort(404)


def may(user: Any, action: str) -> bool:
    """Whether the user's role allows ``action`` (a key of PERMISSIONS)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    allowed = PERMISSIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    return Role(user.role) in allowed


def requires(action: str, *, recent_sign_in: bool = False) -> Callable[[F], F]:
    """Guard a view: signed in, and the role may perform ``action`` (else 404).

    A role that may not perform the action gets 404, like an object outside
    its scope: the page's existence is not confirmed to it. ``recent_sign_in``
    also asks for the password and code again when the last sign-in is old
    (:func:`consult.auth.reauth.recent_sign_in_required`).
    """
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")

    def decorator(view: F) -> F:
        if recent_sign_in:
            from consult.auth.reauth import recent_sign_in_required

            view = recent_sign_in_required(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not may(current_user, action):
                deny(current_user, f"role may not {action}")
            return view(*args, **kwargs)

        guarded = login_required(wrapped)
        setattr(guarded, GUARD_ATTR, f"requires:{action}")
        return guarded  # type: ignore[return-value]

    return decorator


def login_only(view: F) -> F:
    """Guard a view that every signed-in user may open (home, profile)."""
    guarded = login_required(view)
    setattr(guarded, GUARD_ATTR, "login")
    return guarded  # type: ignore[return-value]


def public(view: F) -> F:
    """Mark a view as deliberately open to anonymous visitors (login, health)."""
    setattr(view, GUARD_ATTR, "public")
    return view


def parse_uuid(value: str | uuid.UUID) -> uuid.UUID:
    """A UUID from a URL segment, or 404 for anything that is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        abort(404)


def may_see_job(user: Any, job: Any, permission: str | None) -> bool:
    """Whether ``user`` may see a job and its file.

    Its owner may; so may another person of the owner's role when that role
    may do what the job did (``permission``: another HQ analyst may fetch a
    digest file, since they may download the same digest). A command's job
    (no owner) is seen by no one on the web.
    """
    if user is None or not getattr(user, "is_authenticated", False) or job.owner_id is None:
        return False
    if permission is not None and not may(user, permission):
        return False  # a role changed since: the job's work is no longer theirs to see
    if job.owner_id == user.id:
        return True
    return permission is not None and user.role == job.owner_role
