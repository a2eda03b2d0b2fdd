"""``flask --app consult invite EMAIL --role ...``: open an account by invitation."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from consult.auth.invitations import create_invitation
from consult.auth.roles import Role
from consult.auth.services import AccountError, create_user
from consult.cli.errors import fail
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference.services import find_delegation


@click.command("invite")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role], case_sensitive=False),
    help="cso, moderator, hq or admin.",
)
@click.option("--org", "org_name", help="Organisation name (for CSO members).")
@click.option(
    "--delegation",
    "delegation_ref",
    help="Delegation slug or the ISO code of a country it covers (for moderators).",
)
@click.option("--name", "full_name", default="", help="The person's name, shown to colleagues.")
def invite_command(
    email: str, role: str, org_name: str | None, delegation_ref: str | None, full_name: str
) -> None:
    """Create an account without a password and send a one-time invitation link.

    The link is mailed (CONSULT_SMTP_HOST) and printed here; it expires after
    CONSULT_INVITE_VALID_HOURS (7 days by default) and works once.
    """
    organisation = None
    delegation = None
    if org_name:
        organisation = db.session.scalar(
            select(Organisation).where(func.lower(Organisation.name) == org_name.strip().lower())
        )
        if organisation is None:
            fail(f"No organisation is named {org_name!r}; create it with create-org first.")
    if delegation_ref:
        delegation = find_delegation(delegation_ref.strip())
        if delegation is None:
            fail(
                f"No delegation has the slug {delegation_ref!r} or covers a country with that code."
            )
    try:
        user = create_user(
            email,
            role.lower(),
            None,
            organisation=organisation,
            delegation=delegation,
            full_name=full_name,
        )
    except AccountError as exc:
        db.session.rollback()
        fail(str(exc))
    link = create_invitation(user, None)
    db.session.commit()
    click.echo(f"Invited {user.role} {user.email}. One-time link (expires):")
    click.echo(f"  {link}")


COMMANDS = [invite_command]
