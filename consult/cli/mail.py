"""``flask send-mail``: compose the due notification emails and send the outbox.

Run it from cron (every few minutes) or as a long-lived worker with
``--loop``. Requests never send mail themselves: they only write rows.
"""

from __future__ import annotations

import time

import click
from sqlalchemy.exc import SQLAlchemyError

from consult.extensions import db
from consult.notifications.outbox import run_once


def _one_round() -> None:
    composed, delivery = run_once()
    line = (
        f"composed {composed}, sent {delivery.sent}, to retry {delivery.retried}, "
        f"given up {delivery.failed}"
    )
    if delivery.not_configured:
        line += " (CONSULT_SMTP_HOST is not set: the emails wait in the outbox)"
    click.echo(line)


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running, one round every --interval seconds.")
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Seconds between rounds with --loop.",
)
def send_mail_command(loop: bool, interval: int) -> None:
    """Compose due notification emails (no content, a sign-in link) and send the outbox."""
    if not loop:
        _one_round()
        return
    while True:
        try:
            _one_round()
        except SQLAlchemyError as exc:
            # The database is away for a moment: say so, and try again next round.
            db.session.rollback()
            click.echo(f"round failed: {exc.__class__.__name__}", err=True)
        time.sleep(interval)


COMMANDS = [send_mail_command]
