"""How CLI commands fail: one line on stderr and exit status 2."""

from __future__ import annotations

from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    """Print ``Error: message`` on one line and exit with status 2."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)
