"""Account operations: authenticate, change password, create users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from consult.audit.services import record
from consult.auth.mail import send_mail
from consult.auth.models import AccountToken, User, normalise_email, user_by_email
from consult.auth.passwords import (
    burn_time_for_unknown_user,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from consult.auth.revocation import end_all_access
from consult.auth.roles import Role
from consult.auth.tokens import Purpose, find_valid_token, issue_token, link_for, revoke_tokens
from consult.errors import DomainError
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference.models import Delegation
from consult.timeutil import is_zone, utcnow


class AccountError(DomainError):
    """A request about an account that cannot be carried out, with a message for a person."""


@dataclass
class AuthResult:
    user: User | None
    ok: bool


def authenticate(email: str, password: str) -> AuthResult:
    """Check an email and password. Never says which of the two was wrong."""
    user = user_by_email(email)
    if user is None:
        burn_time_for_unknown_user(password)
        record("auth.login_failed", None, object_type="user", reason="credentials")
        return AuthResult(None, False)
    if not verify_password(user.password_hash, password) or not user.active:
        record("auth.login_failed", None, object_type="user", object_id=str(user.id))
        return AuthResult(user, False)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return AuthResult(user, True)


def mark_logged_in(user: User) -> None:
    user.last_login_at = utcnow()
    record("auth.login", user, user)


def change_password(user: User, current: str, new: str) -> None:
    """Change the password and end every other session; raises AccountError."""
    if not verify_password(user.password_hash, current):
        raise AccountError("Your current password is not correct.")
    set_password(user, new, reason="password_changed")
    record("password.changed", user, user)


def set_password(user: User, new: str, *, reason: str) -> None:
    """Set a new password; every session ends and every API token is revoked."""
    problems = password_problems(new, user.email)
    if problems:
        raise AccountError(" ".join(problems))
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    end_all_access(user, user, reason)


def create_user(
    email: str,
    role: str,
    password: str | None,
    *,
    organisation: Organisation | None = None,
    delegation: Delegation | None = None,
    full_name: str = "",
) -> User:
    """Create an account after checking the role and its membership rules."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError(f"{email!r} is not an email address.")
    try:
        role_value = Role(role)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise AccountError(f"Unknown role {role!r}; use one of: {valid}.") from None
    if user_by_email(email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    if role_value == Role.CSO and organisation is None:
        raise AccountError("A CSO member needs an organisation (--org).")
    if role_value == Role.MODERATOR and delegation is None:
        raise AccountError("A moderator needs a delegation (--delegation).")
    user = User(
        email=email,
        role=role_value.value,
        full_name=full_name,
        organisation_id=organisation.id if organisation and role_value == Role.CSO else None,
        delegation_slug=delegation.slug if delegation and role_value == Role.MODERATOR else None,
        active=True,
        session_generation=0,
    )
    if password is not None:
        problems = password_problems(password, email)
        if problems:
            raise AccountError(" ".join(problems))
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


# --- one-time links (invitations, password resets) --------------------------------


def mail_link(
    user: User, purpose: Purpose, path: str, compose: Callable[[str], tuple[str, str]]
) -> str:
    """Issue a one-time link for ``user``, mail it and return it.

    ``compose(link)`` gives the subject and body; it runs in the recipient's
    language, also when the mail is sent from the command line.
    """
    link = link_for(path, issue_token(user, purpose))
    with force_locale(user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        subject, body = compose(link)
    send_mail(user.email, subject, body, link=link)
    return link


def link_owner(token: str, purpose: Purpose) -> tuple[AccountToken, User] | None:
    """The valid token row of a one-time link and its active user, or None."""
    row = find_valid_token(token, purpose)
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


# --- forgotten passwords ------------------------------------------------------------

#: The token goes in the query string: access logs record paths, not queries.
RESET_PATH = "/auth/reset?token="


def request_password_reset(email: str) -> None:
    """Mail a one-time reset link when an active account has that email.

    The caller answers the same way whether or not it exists.
    """
    user = user_by_email(email)
    if user is None or not user.active:
        return
    mail_link(
        user,
        Purpose.RESET,
        RESET_PATH,
        lambda link: (
            _("Reset your consult password"),
            _(
                "Someone asked to reset the password of your consult account.\n\n"
                "Choose a new password here (the link works once and expires soon):\n%(link)s\n\n"
                "If it was not you, ignore this message: your password stays as it is.",
                link=link,
            ),
        ),
    )
    record("password.reset_requested", None, user)


def reset_user(token: str) -> User | None:
    """The active user a valid reset link belongs to, or None."""
    found = link_owner(token, Purpose.RESET)
    return found[1] if found is not None else None


def reset_password(token: str, new: str) -> User:
    """Set a new password from a reset link; every session ends (the caller commits).

    The second factor stays: the next sign-in still asks for a code.
    """
    found = link_owner(token, Purpose.RESET)
    if found is None:
        raise AccountError("This reset link has expired or was already used. Ask for a new one.")
    row, user = found
    set_password(user, new, reason="password_reset")
    row.used_at = utcnow()
    revoke_tokens(user, Purpose.RESET)
    record("password.reset", user, user)
    db.session.flush()
    return user


def set_time_zone(user: User, name: str) -> None:
    """Show ``user`` times in the IANA zone ``name``; empty: their country's zone again."""
    name = name.strip()
    if name and not is_zone(name):
        raise AccountError(_("%(zone)s is not a time zone; choose one from the list.", zone=name))
    user.time_zone = name or None
    record("account.time_zone_changed", user, user, time_zone=name or "default")
