"""``flask --app consult purge | check-storage | backup | restore``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.cli.errors import fail
from consult.extensions import db
from consult.maintenance.backup import BackupError, make_backup
from consult.maintenance.restore import restore_backup
from consult.maintenance.retention import (
    erase_requested,
    purge_expired,
)
from consult.maintenance.storage import check_storage


@click.command("purge")
@click.option(
    "--erase-requested",
    "erase_orgs",
    is_flag=True,
    help="Also erase every organisation that asked for erasure (accounts, inputs, files).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@click.option(
    "--queue",
    "queued",
    is_flag=True,
    help="Run it as a job on the queue (CONSULT_JOBS_REDIS_URL) and return at once; "
    "without a queue it runs here, as a job.",
)
def purge(erase_orgs: bool, dry_run: bool, queued: bool) -> None:
    """Delete inputs past retention (and their files), keeping only aggregate counts.

    An input is past retention RETENTION_DAYS (CONSULT_RETENTION_DAYS) after
    its consultation closed. Run it daily, e.g. from cron or a systemd timer.
    """
    if queued:
        if dry_run:
            fail("--dry-run and --queue do not go together: a dry run only prints.")
        _queue_purge(erase_orgs)
        return
    report = purge_expired(dry_run=dry_run)
    if erase_orgs:
        erase_requested(report, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing was deleted."))
    else:
        db.session.commit()  # the files of deleted rows are removed once this commits
    for line in report.lines():
        click.echo(line)
    days = current_app.config["RETENTION_DAYS"]
    click.echo(
        ngettext(
            "retention: %(num)d day after a consultation closes",
            "retention: %(num)d days after a consultation closes",
            days,
        )
    )


def _queue_purge(erase_orgs: bool) -> None:
    from consult.jobs.queue import start_job

    job = start_job("retention.purge", None, {"erase_requested": erase_orgs})
    if job.state == "queued":
        click.echo(f"queued job {job.id}: a worker (flask jobs worker) runs the purge")
        return
    if job.error:
        fail(job.error)
    for line in job.result.get("lines", []):
        click.echo(line)


@click.command("check-storage")
@click.option(
    "--fix",
    is_flag=True,
    help="Remove files that no attachment row refers to; make loose file modes private.",
)
@click.option("--verify", is_flag=True, help="Also compare every file with its SHA-256.")
def check_storage_command(fix: bool, verify: bool) -> None:
    """Find attachment files without rows and attachment rows without files, and files
    or folders under the upload folder or instance/ that group or others may read.

    Exit status 0 when rows and files match, 1 when something is wrong.
    """
    report = check_storage(verify_checksums=verify, fix=fix)
    db.session.commit()  # with shared storage, --fix deletes in the database
    for path in report.removed:
        click.echo(_("removed file without a row: %(path)s", path=path))
    for path in report.files_without_rows:
        click.echo(_("file without a row: %(path)s", path=path))
    for att in report.rows_without_files:
        click.echo(
            _(
                "row without a file: attachment %(id)s (input %(input)s)",
                id=att.id,
                input=att.input_id,
            )
        )
    for att in report.checksum_mismatches:
        click.echo(_("checksum mismatch: attachment %(id)s", id=att.id))
    for loose in report.tightened:
        click.echo(_("made private: %(path)s", path=loose))
    for loose in report.loose_modes:
        click.echo(_("file mode too open: %(path)s", path=loose))
    for path in report.young_files:
        click.echo(_("recent file without a row (upload in progress?): %(path)s", path=path))
    click.echo(
        _(
            "checked %(rows)d attachment rows and %(files)d files: %(verdict)s",
            rows=report.rows_checked,
            files=report.files_checked,
            verdict=_("ok") if report.ok else _("problems found"),
        )
    )
    if not report.ok:
        raise SystemExit(1)


@click.command("backup")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive to write (a .tar.gz).",
)
def backup(out: Path) -> None:
    """Back up the database and the attachment files, with checksums, while the app runs."""
    try:
        result = make_backup(out)
    except BackupError as exc:
        fail(str(exc))
    rows = sum(result.row_counts.values())
    click.echo(
        _(
            "Backup written to %(path)s: %(dialect)s, %(rows)d rows, %(files)d files.",
            path=result.path,
            dialect=result.dialect,
            rows=rows,
            files=result.files,
        )
    )
    if result.missing_files:
        click.echo(
            _(
                "Warning: %(num)d attachment files were missing (run check-storage): %(files)s",
                num=len(result.missing_files),
                files=", ".join(result.missing_files),
            ),
            err=True,
        )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Restore even if the instance is not empty, replacing its database and files.",
)
def restore(archive: Path, force: bool) -> None:
    """Restore a backup into an empty instance (same database kind) and check it."""
    try:
        result = restore_backup(archive, force=force)
    except BackupError as exc:
        fail(str(exc))
    rows = sum(result.row_counts.values())
    click.echo(
        _(
            "Restored %(rows)d rows and %(files)d files; checksums and row counts match.",
            rows=rows,
            files=result.files,
        )
    )


COMMANDS = [purge, check_storage_command, backup, restore]
