"""Invitations: an account is opened by a one-time emailed link that expires.

An admin (or the ``invite`` command) creates the account without a password
and calls :func:`create_invitation`; the person follows the link, chooses a
password and, for EU staff, enrols their second factor at the first sign-in.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.audit.services import record
from consult.auth.models import AccountToken, User
from consult.auth.passwords import hash_password, password_problems
from consult.auth.services import link_owner, mail_link
from consult.auth.session import end_all_sessions
from consult.auth.tokens import Purpose
from consult.errors import DomainError
from consult.extensions import db
from consult.timeutil import utcnow

#: The token goes in the query string: access logs record paths, not queries.
INVITE_PATH = "/auth/invite?token="


class InvitationError(DomainError):
    """An invitation that cannot be used, with a message for a person."""


def create_invitation(user: User, actor: User | None) -> str:
    """Issue a one-time invitation link for ``user``, mail it and return it.

    Earlier unused invitations of the user stop working. The caller commits.
    """
    link = mail_link(
        user,
        Purpose.INVITE,
        INVITE_PATH,
        lambda link: (
            _("Your consult account"),
            _(
                "An account was opened for you on consult, the ENP security consultation "
                "platform.\n\nChoose your password here (the link works once and expires):\n"
                "%(link)s\n\nIf you did not expect this message, ignore it.",
                link=link,
            ),
        ),
    )
    record("invitation.sent", actor, user)
    return link


def invitation_user(token: str) -> tuple[AccountToken, User] | None:
    """The pending invitation and its user, or None when the link is not valid."""
    return link_owner(token, Purpose.INVITE)


def accept_invitation(token: str, password: str) -> User:
    """Set the first password from an invitation link (the caller commits)."""
    found = invitation_user(token)
    if found is None:
        raise InvitationError(
            _("This invitation link has expired or was already used. Ask for a new one.")
        )
    row, user = found
    problems = password_problems(password, user.email)
    if problems:
        raise InvitationError(" ".join(problems))
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    row.used_at = utcnow()
    end_all_sessions(user)
    record("invitation.accepted", user, user)
    db.session.flush()
    return user
