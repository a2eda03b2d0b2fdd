"""A consistent backup of a running instance: the database plus attachment files.

The archive is one tar file::

    manifest.json            what is inside, with a SHA-256 for every member
    database/consult.sqlite  SQLite: a snapshot made with SQLite's backup API
    database/consult.pgdump  PostgreSQL: ``pg_dump --format=custom``
    files/<name>             every attachment file the snapshot refers to

Consistency: the list of files is read from the same snapshot as the
database (the SQLite copy itself; on PostgreSQL a snapshot exported to
``pg_dump``), so every attachment row in the backup has its file, even while
people keep submitting. Files are immutable once stored (random names).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3

# pg_dump runs with a fixed argument list, never through a shell.
import subprocess  # nosec B404
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from consult.extensions import db
from consult.maintenance.modes import open_private, private_dir
from consult.maintenance.storage import sha256_of, upload_root
from consult.timeutil import utcnow

FORMAT = "consult-backup"
FORMAT_VERSION = 1
SQLITE_MEMBER = "database/consult.sqlite"
PGDUMP_MEMBER = "database/consult.pgdump"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore that cannot be carried out; the message says why."""


@dataclass
class BackupResult:
    path: Path
    dialect: str
    row_counts: dict[str, int]
    files: int
    missing_files: list[str] = field(default_factory=list)


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database).resolve()


def libpq_env(url: URL) -> dict[str, str]:
    """Environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[key] = str(value)
    return env


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools")
    return found


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per consult table that exists in the database behind ``conn``."""
    existing = set(inspect(conn).get_table_names())
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in existing:
            counts[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )
    return counts


@dataclass(frozen=True)
class StoredRow:
    """A row that names a stored file: an input's attachment or a message's."""

    id: str
    storage_name: str
    sha256: str


#: The tables whose rows name a file in the upload folder.
FILE_TABLES = ("attachments", "message_attachments")


def _attachments_in(conn: Connection) -> list[StoredRow]:
    """Every stored file the snapshot's rows name (input and message attachments)."""
    existing = set(inspect(conn).get_table_names())
    out = []
    for name in FILE_TABLES:
        if name not in existing:
            continue
        table = db.metadata.tables[name]
        for row in conn.execute(select(table.c.id, table.c.storage_name, table.c.sha256)):
            out.append(StoredRow(str(row.id), row.storage_name, row.sha256))
    return out


@contextmanager
def _sqlite_snapshot(url: URL) -> Iterator[tuple[Path, dict[str, int], list[StoredRow]]]:
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"the database file {source} does not exist")
    with tempfile.TemporaryDirectory(prefix="consult-backup-") as tmp:
        copy = Path(tmp) / "consult.sqlite"
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)  # a consistent copy while others keep writing
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            dst.close()
            src.close()
        from sqlalchemy import create_engine

        engine = create_engine(f"sqlite:///{copy}")
        try:
            with engine.connect() as conn:
                counts = table_counts(conn)
                attachments = _attachments_in(conn)
        finally:
            engine.dispose()
        yield copy, counts, attachments


@contextmanager
def _postgres_snapshot(url: URL) -> Iterator[tuple[Path, dict[str, int], list[StoredRow]]]:
    pg_dump = pg_tool("pg_dump")
    with tempfile.TemporaryDirectory(prefix="consult-backup-") as tmp:
        dump = Path(tmp) / "consult.pgdump"
        engine = db.engine.execution_options(isolation_level="REPEATABLE READ")
        with engine.connect() as conn:
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                counts = table_counts(conn)
                attachments = _attachments_in(conn)
                result = subprocess.run(  # noqa: S603  # nosec B603
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ],
                    env=libpq_env(url),
                    capture_output=True,
                    text=True,
                    check=False,
                )
        if result.returncode != 0:
            raise BackupError("pg_dump failed: " + result.stderr.strip().splitlines()[-1:][0])
        yield dump, counts, attachments


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as fh:
        tar.addfile(info, fh)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(utcnow().timestamp())
    tar.addfile(info, io.BytesIO(data))


def make_backup(out: Path) -> BackupResult:
    """Write a backup of the current app's database and attachment files to ``out``."""
    from consult.filestore import store
    from consult.inputs.files import attachment_path

    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = url.get_backend_name()
    if dialect == "sqlite":
        snapshot, member = _sqlite_snapshot(url), SQLITE_MEMBER
    elif dialect == "postgresql":
        snapshot, member = _postgres_snapshot(url), PGDUMP_MEMBER
    else:
        raise BackupError(f"cannot back up a {dialect} database")
    root = upload_root()
    out = out.resolve()
    private_dir(out.parent)
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    files: list[dict[str, Any]] = []
    missing: list[str] = []
    try:
        with (
            snapshot as (db_file, counts, attachments),
            open_private(partial) as raw,
            tarfile.open(fileobj=raw, mode="w:gz") as tar,
        ):
            _add_file(tar, member, db_file)
            # Large objects (CONSULT_STORAGE=postgresql) are inside the database's dump.
            for att in [] if store().shared else attachments:
                path = attachment_path(att).resolve()
                try:
                    relative = path.relative_to(root).as_posix()
                except ValueError:
                    raise BackupError(f"attachment {att.id} lives outside UPLOAD_DIR") from None
                if not path.is_file():
                    missing.append(str(att.id))
                    continue
                _add_file(tar, f"files/{relative}", path)
                files.append(
                    {
                        "path": f"files/{relative}",
                        "sha256": sha256_of(path),
                        "recorded_sha256": att.sha256,
                        "size": path.stat().st_size,
                        "attachment_id": str(att.id),
                    }
                )
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": utcnow().isoformat(timespec="seconds") + "Z",
                "dialect": dialect,
                "database": {"path": member, "sha256": sha256_of(db_file)},
                "row_counts": counts,
                "files": files,
                "missing_files": missing,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=out, dialect=dialect, row_counts=counts, files=len(files), missing_files=missing
    )


def member_sha256(tar: tarfile.TarFile, name: str) -> str:
    fh = tar.extractfile(name)
    if fh is None:
        raise BackupError(f"{name} is missing from the backup")
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()
