"""Onboarding in bulk: ``create-org`` and ``create-user``.

The arguments, lookups and errors of opening an account are shared with
``invite`` (``consult.cli.security``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import click
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.auth.models import User
from consult.auth.roles import Role
from consult.auth.services import AccountError, create_user
from consult.cli.errors import fail
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.organisations.services import OrganisationError, create_organisation
from consult.reference.models import Delegation
from consult.reference.services import find_delegation


@click.command("create-org")
@click.argument("name")
@click.option(
    "--country",
    "countries",
    multiple=True,
    required=True,
    help="ISO code of a country of operation; repeat for several (or give TN,LB).",
)
@click.option("--email", "contact_email", required=True, help="The organisation's contact email.")
@click.option("--verified/--unverified", default=False, help="Verified organisations may submit.")
@click.option("--acronym", default=None, help="The short form it goes by, like KYSO (optional).")
def create_org(
    name: str,
    countries: tuple[str, ...],
    contact_email: str,
    verified: bool,
    acronym: str | None,
) -> None:
    """Register a civil society organisation."""
    codes = [c.strip().upper() for value in countries for c in value.split(",") if c.strip()]
    try:
        org = create_organisation(name, codes, contact_email, verified=verified, acronym=acronym)
    except OrganisationError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    countries = ", ".join(org.country_codes)
    if org.is_verified:
        done = _(
            "Created organisation %(name)s (%(countries)s; verified).",
            name=org.name,
            countries=countries,
        )
    else:
        done = _(
            "Created organisation %(name)s (%(countries)s; not verified).",
            name=org.name,
            countries=countries,
        )
    click.echo(done)


def account_options(command: Callable[..., None]) -> Callable[..., None]:
    """The arguments of a command that opens an account: EMAIL, --role, --org,
    --delegation and --name (``create-user`` and ``invite``)."""
    for option in reversed(
        [
            click.argument("email"),
            click.option(
                "--role",
                required=True,
                type=click.Choice([r.value for r in Role], case_sensitive=False),
                help="cso, moderator, hq or admin.",
            ),
            click.option("--org", "org_name", help="Organisation name (for CSO members)."),
            click.option(
                "--delegation",
                "delegation_ref",
                help="Delegation slug or the ISO code of a country it covers (for moderators).",
            ),
            click.option(
                "--name", "full_name", default="", help="The person's name, shown to colleagues."
            ),
        ]
    ):
        command = option(command)
    return command


def membership_or_fail(
    org_name: str | None, delegation_ref: str | None
) -> tuple[Organisation | None, Delegation | None]:
    """The organisation and delegation named on the command line; ``fail`` when one is unknown.

    ``org_name`` is matched without regard to case; ``delegation_ref`` is a
    delegation slug or the code of a country a delegation covers.
    """
    organisation = None
    delegation = None
    if org_name:
        organisation = db.session.scalar(
            select(Organisation).where(func.lower(Organisation.name) == org_name.strip().lower())
        )
        if organisation is None:
            fail(
                _(
                    "No organisation is named %(name)s; create it with create-org first.",
                    name=repr(org_name),
                )
            )
    if delegation_ref:
        delegation = find_delegation(delegation_ref.strip())
        if delegation is None:
            fail(
                _(
                    "No delegation has the slug %(ref)s or covers a country with that code.",
                    ref=repr(delegation_ref),
                )
            )
    return organisation, delegation


def create_user_or_fail(
    email: str,
    role: str,
    password: str | None,
    membership: tuple[Organisation | None, Delegation | None],
    full_name: str,
) -> User:
    """Open the account (not committed); ``fail`` with the reason it is refused."""
    organisation, delegation = membership
    try:
        return create_user(
            email,
            role.lower(),
            password,
            organisation=organisation,
            delegation=delegation,
            full_name=full_name,
        )
    except AccountError as exc:
        db.session.rollback()
        fail(str(exc))


@click.command("create-user")
@account_options
def create_user_command(
    email: str, role: str, org_name: str | None, delegation_ref: str | None, full_name: str
) -> None:
    """Create an account. The password is prompted, or read from CONSULT_PASSWORD."""
    membership = membership_or_fail(org_name, delegation_ref)
    password = os.environ.get("CONSULT_PASSWORD")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_user_or_fail(email, role, password, membership, full_name)
    db.session.commit()
    where = user.organisation or user.delegation
    if where is not None:
        done = _(
            "Created %(role)s account %(email)s of %(where)s.",
            role=user.role,
            email=user.email,
            where=where.name,
        )
    else:
        done = _("Created %(role)s account %(email)s.", role=user.role, email=user.email)
    click.echo(done)


COMMANDS = [create_org, create_user_command]
