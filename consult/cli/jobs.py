"""``flask jobs worker | purge-files``: the job queue's worker and its housekeeping."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _

from consult.cli.errors import fail
from consult.extensions import db
from consult.jobs.queue import asynchronous, purge_expired_jobs


@click.group("jobs")
def jobs_group() -> None:
    """The job queue (RQ on CONSULT_JOBS_REDIS_URL): big digests, releases, purges."""


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, cron).")
def worker_command(burst: bool) -> None:
    """Run the jobs of the queue, one at a time, until stopped (SIGTERM finishes the
    current job first). Run one per deployment, beside the app servers."""
    if not asynchronous():
        fail(
            _(
                "CONSULT_JOBS_REDIS_URL is not set: jobs run in-process, there is no queue to "
                "work. Set it to the Redis the app servers use (e.g. redis://127.0.0.1:6379/1)."
            )
        )
    from consult.jobs.worker import work

    work(burst=burst)


@jobs_group.command("purge-files")
def purge_files_command() -> None:
    """Delete job files older than JOB_FILE_HOURS (the worker and new jobs do it too)."""
    deleted = purge_expired_jobs()
    db.session.commit()
    hours = current_app.config["JOB_FILE_HOURS"]
    click.echo(
        _("job files deleted: %(deleted)s (kept %(hours)s hours)", deleted=deleted, hours=hours)
    )


COMMANDS = [jobs_group]
