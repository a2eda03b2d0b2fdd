"""Security commands: invitations and two-factor keys.

``flask --app consult invite EMAIL --role ...`` opens an account by invitation;
``flask --app consult rotate-totp-key`` re-encrypts two-factor secrets;
``flask --app consult set-role EMAIL --role ...`` changes an account's role.
"""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.auth import secretbox, totp
from consult.auth.invitations import create_invitation
from consult.auth.models import user_by_email
from consult.auth.role_change import change_role
from consult.auth.services import AccountError
from consult.cli.accounts import account_options, create_user_or_fail, membership_or_fail
from consult.cli.errors import fail
from consult.extensions import db


@click.command("invite")
@account_options
def invite_command(
    email: str, role: str, org_name: str | None, delegation_ref: str | None, full_name: str
) -> None:
    """Create an account without a password and send a one-time invitation link.

    The link is mailed (CONSULT_SMTP_HOST) and printed here; it expires after
    CONSULT_INVITE_VALID_HOURS (7 days by default) and works once.
    """
    membership = membership_or_fail(org_name, delegation_ref)
    user = create_user_or_fail(email, role, None, membership, full_name)
    link = create_invitation(user, None)
    db.session.commit()
    click.echo(
        _("Invited %(role)s %(email)s. One-time link (expires):", role=user.role, email=user.email)
    )
    click.echo(f"  {link}")


@click.command("rotate-totp-key")
def rotate_totp_key_command() -> None:
    """Re-encrypt every two-factor secret with the first key of TOTP_ENCRYPTION_KEYS.

    Run it after putting a new key first (keep the old ones after it until
    this has run). Secrets still stored in plain text are encrypted too.
    Nothing changes if any secret opens with none of the keys.
    """
    try:
        count = totp.reseal_all_secrets()
    except secretbox.SecretBoxError as exc:
        db.session.rollback()
        fail(
            _(
                "%(error)s Nothing was changed: put the old key back in the list "
                "(after the new one).",
                error=exc,
            )
        )
    db.session.commit()
    click.echo(
        ngettext(
            "Re-encrypted %(num)d two-factor secret with the first key.",
            "Re-encrypted %(num)d two-factor secrets with the first key.",
            count,
        )
    )


@click.command("set-role")
@account_options
def set_role_command(
    email: str, role: str, org_name: str | None, delegation_ref: str | None, full_name: str
) -> None:
    """Change an account's role (and organisation or delegation).

    Every session of the account ends and every API token is revoked.
    """
    user = user_by_email(email)
    if user is None:
        fail(_("No account has the email %(email)s.", email=repr(email)))
    organisation, delegation = membership_or_fail(org_name, delegation_ref)
    try:
        changed = change_role(
            None, user, role.lower(), organisation=organisation, delegation=delegation
        )
    except AccountError as exc:
        db.session.rollback()
        fail(str(exc))
    if full_name:
        user.full_name = full_name
    db.session.commit()
    if changed:
        click.echo(
            _(
                "%(email)s is now %(role)s; signed out everywhere, API tokens revoked.",
                email=user.email,
                role=user.role,
            )
        )
    else:
        click.echo(_("%(email)s already has that role; nothing changed.", email=user.email))


COMMANDS = [invite_command, rotate_totp_key_command, set_role_command]
