"""``flask send-mail``: compose the due notification emails and send the outbox.

Run it from cron (every few minutes) or as a long-lived worker with
``--loop``; with a job queue, ``--queue`` hands the round to the worker
(which also runs rounds by itself after each request that tells someone:
:mod:`consult.notifications.mail_rounds`). Requests never send mail
themselves: they only write rows.
"""

from __future__ import annotations

import time

import click
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from consult.cli.errors import fail
from consult.extensions import db
from consult.notifications.mail_rounds import queue_mail_round
from consult.notifications.outbox import run_once


def _one_round() -> None:
    composed, delivery = run_once()
    line = _(
        "composed %(composed)s, sent %(sent)s, to retry %(retried)s, given up %(failed)s",
        composed=composed,
        sent=delivery.sent,
        retried=delivery.retried,
        failed=delivery.failed,
    )
    if delivery.not_configured:
        line += " " + _("(CONSULT_SMTP_HOST is not set: the emails wait in the outbox)")
    click.echo(line)


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running, one round every --interval seconds.")
@click.option(
    "--queue",
    "on_queue",
    is_flag=True,
    help="Put one round on the job queue for the worker (CONSULT_JOBS_REDIS_URL).",
)
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Seconds between rounds with --loop.",
)
def send_mail_command(loop: bool, on_queue: bool, interval: int) -> None:
    """Compose due notification emails (no content, a sign-in link) and send the outbox."""
    if on_queue:
        job = queue_mail_round()
        if job is None:
            fail(
                _(
                    "CONSULT_JOBS_REDIS_URL is not set: there is no job queue. Run "
                    "`flask send-mail` without --queue to send here and now."
                )
            )
        click.echo(_("mail round queued: job %(job)s", job=job.id))
        return
    if not loop:
        _one_round()
        return
    while True:
        try:
            _one_round()
        except SQLAlchemyError as exc:
            # The database is away for a moment: say so, and try again next round.
            db.session.rollback()
            click.echo(_("round failed: %(error)s", error=exc.__class__.__name__), err=True)
        time.sleep(interval)


COMMANDS = [send_mail_command]
