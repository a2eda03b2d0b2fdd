"""``flask load-reference``: the ENP reference data, idempotently."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from consult.extensions import db
from consult.reference.services import load_reference_data


@click.command("load-reference")
@click.option(
    "--no-delegations",
    is_flag=True,
    help="Load countries without assigning delegations (set them up by hand).",
)
def load_reference(no_delegations: bool) -> None:
    """Load priorities, regions, countries, delegations, types, themes, levels, addressees."""
    load_reference_data(with_delegations=not no_delegations)
    db.session.commit()
    click.echo(_("Reference data is loaded."))


COMMANDS = [load_reference]
