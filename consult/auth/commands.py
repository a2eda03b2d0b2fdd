"""``flask --app consult invite EMAIL --role ...``: open an account by invitation."""

from __future__ import annotations

import click

from consult.auth.invitations import create_invitation
from consult.cli.accounts import account_options, create_user_or_fail, membership_or_fail
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


COMMANDS = [invite_command]
