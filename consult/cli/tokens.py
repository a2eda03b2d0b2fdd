"""``flask create-token EMAIL --name NAME``: a personal access token for scripts and demos."""

from __future__ import annotations

from datetime import timedelta

import click
from flask_babel import gettext as _

from consult.api.tokens import TokenError, create_token, latest_staff_expiry
from consult.auth.models import user_by_email
from consult.cli.errors import fail
from consult.extensions import db
from consult.timeutil import utcnow


@click.command("create-token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for (shown on the account page).")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Expire after this many days (default: no expiry; for EU staff, the longest allowed).",
)
def create_token_command(email: str, name: str, days: int | None) -> None:
    """Create an API token for EMAIL; the token is printed alone on the last line."""
    user = user_by_email(email)
    if user is None:
        fail(_("No account has the email %(email)s.", email=repr(email)))
    if not user.active:
        fail(_("The account %(email)s is deactivated; activate it first.", email=user.email))
    if days:
        expires_at = utcnow() + timedelta(days=days)
    elif user.is_eu_staff:
        expires_at = latest_staff_expiry()
    else:
        expires_at = None
    try:
        token, raw = create_token(user, name, expires_at=expires_at)
    except TokenError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    click.echo(f"Created token {token.name!r} for {user.email} ({user.role}{until}).", err=True)
    click.echo(_("It is shown once; store it safely."), err=True)
    click.echo(raw)


COMMANDS = [create_token_command]
