"""How CLI commands fail: one line on stderr and exit status 2."""

from __future__ import annotations

from typing import NoReturn

import click
from flask_babel import gettext as _


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on one line and exit with status 2."""
    click.echo(_("Error: %(message)s", message=message), err=True)
    raise SystemExit(2)
