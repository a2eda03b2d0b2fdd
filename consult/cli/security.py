"""Security commands: invitations and two-factor keys.

``flask --app consult invite EMAIL --role ...`` opens an account by invitation;
``flask --app consult rotate-totp-key`` re-encrypts two-factor secrets.
"""

from __future__ import annotations

import click

from consult.auth import secretbox, totp
from consult.auth.invitations import create_invitation
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
    click.echo(f"Invited {user.role} {user.email}. One-time link (expires):")
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
        fail(f"{exc} Nothing was changed: put the old key back in the list (after the new one).")
    db.session.commit()
    click.echo(f"Re-encrypted {count} two-factor secret(s) with the first key.")


COMMANDS = [invite_command, rotate_totp_key_command]
