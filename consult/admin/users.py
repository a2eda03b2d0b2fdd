"""Accounts: finding them, creating them, deactivating and reactivating them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.admin.paging import PAGE_SIZE, Page
from consult.admin.validation import AdminError, refuse
from consult.audit.services import record
from consult.auth.models import User, normalise_email, user_by_email
from consult.auth.passwords import password_problems
from consult.auth.roles import Role
from consult.auth.services import AccountError, create_user
from consult.auth.session import end_all_sessions
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference.models import Delegation


@dataclass
class UserFilters:
    role: str = ""
    organisation_id: str = ""
    delegation_slug: str = ""
    active: str = ""  # "", "yes" or "no"
    email: str = ""


def user_page(filters: UserFilters, after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """Users matching ``filters`` in email order, ``limit`` at a time after email ``after``."""
    stmt = (
        select(User)
        .options(selectinload(User.organisation), selectinload(User.delegation))
        .order_by(User.email)
    )
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.organisation_id:
        try:
            stmt = stmt.where(User.organisation_id == uuid.UUID(filters.organisation_id))
        except ValueError:
            return Page([], None)
    if filters.delegation_slug:
        stmt = stmt.where(User.delegation_slug == filters.delegation_slug)
    if filters.active == "yes":
        stmt = stmt.where(User.active.is_(True))
    elif filters.active == "no":
        stmt = stmt.where(User.active.is_(False))
    if filters.email:
        stmt = stmt.where(User.email.contains(normalise_email(filters.email), autoescape=True))
    if after:
        stmt = stmt.where(User.email > after)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    next_cursor = rows[limit - 1].email if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def create_account(
    actor: User,
    *,
    email: str,
    role: str,
    full_name: str = "",
    organisation_id: str | None = None,
    delegation_slug: str | None = None,
    is_org_admin: bool = False,
    password: str | None = None,
) -> User:
    """Create an account for ``role``; a CSO member needs an organisation, a moderator
    a delegation. ``password`` None leaves the account without one (an invitation sets it).
    """
    problems: dict[str, list[str]] = {}
    email = normalise_email(email)
    if not email or "@" not in email:
        problems.setdefault("email", []).append(_("Enter an email address."))
    elif user_by_email(email) is not None:
        problems.setdefault("email", []).append(
            _("An account with this email address already exists.")
        )
    try:
        role_value = Role(role)
    except ValueError:
        role_value = None
        problems.setdefault("role", []).append(_("Choose a role."))
    organisation = None
    if organisation_id:
        try:
            organisation = db.session.get(Organisation, uuid.UUID(str(organisation_id)))
        except ValueError:
            organisation = None
        if organisation is None:
            problems.setdefault("organisation", []).append(_("Choose an organisation."))
    delegation = db.session.get(Delegation, delegation_slug) if delegation_slug else None
    if delegation_slug and delegation is None:
        problems.setdefault("delegation", []).append(_("Choose a delegation."))
    if role_value == Role.CSO:
        if organisation is None and "organisation" not in problems:
            problems.setdefault("organisation", []).append(
                _("A CSO member belongs to an organisation: choose one.")
            )
        if delegation_slug:
            problems.setdefault("delegation", []).append(
                _("A CSO member does not belong to a delegation: leave this empty.")
            )
    elif role_value == Role.MODERATOR:
        if delegation is None and "delegation" not in problems:
            problems.setdefault("delegation", []).append(
                _("A delegation moderator works for a delegation: choose one.")
            )
        if organisation_id:
            problems.setdefault("organisation", []).append(
                _("EU staff do not belong to an organisation: leave this empty.")
            )
    elif role_value is not None:
        if organisation_id:
            problems.setdefault("organisation", []).append(
                _("EU staff do not belong to an organisation: leave this empty.")
            )
        if delegation_slug:
            problems.setdefault("delegation", []).append(
                _("Only delegation moderators belong to a delegation: leave this empty.")
            )
    if password is not None:
        for problem in password_problems(password, email):
            problems.setdefault("password", []).append(_(problem))
    if problems:
        raise AdminError(problems)
    assert role_value is not None
    try:
        user = create_user(
            email,
            role_value.value,
            password,
            organisation=organisation,
            delegation=delegation,
            full_name=(full_name or "").strip(),
        )
    except AccountError as exc:  # a rule of the account service not checked above
        raise refuse("email", str(exc)) from exc
    user.is_org_admin = bool(is_org_admin and role_value == Role.CSO)
    record(
        "user.created",
        actor,
        user,
        role=user.role,
        organisation_id=str(user.organisation_id) if user.organisation_id else None,
        delegation=user.delegation_slug,
        with_password=password is not None,
    )
    db.session.flush()
    return user


def set_user_active(actor: User, user: User, active: bool) -> bool:
    """Deactivate (ending every session at once) or reactivate an account.

    Returns whether anything changed. An admin cannot deactivate themself:
    that would lock the last admin out.
    """
    if not active and user.id == actor.id:
        raise refuse("active", _("You cannot deactivate your own account."))
    if bool(user.active) == active:
        return False
    user.active = active
    if not active:
        end_all_sessions(user)
    record("user.reactivated" if active else "user.deactivated", actor, user)
    db.session.flush()
    return True
