"""Restoring a backup made by :mod:`consult.maintenance.backup` into an empty instance."""

from __future__ import annotations

import json
import os
import shutil

# pg_restore runs with a fixed argument list, never through a shell.
import subprocess  # nosec B404
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import make_url

from consult.extensions import db
from consult.maintenance.backup import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    libpq_env,
    member_sha256,
    pg_tool,
    sqlite_path,
    table_counts,
)
from consult.maintenance.modes import open_private, private_dir
from consult.maintenance.storage import upload_root

#: Tables whose rows mean an instance is in use. Reference data alone
#: (``flask load-reference``) does not count: the backup replaces it.
DATA_TABLES = ("organisations", "users", "consultations", "inputs", "attachments", "audit_events")


@dataclass
class RestoreResult:
    dialect: str
    row_counts: dict[str, int]
    files: int


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        fh = tar.extractfile(MANIFEST)
    except KeyError:
        fh = None
    if fh is None:
        raise BackupError("this is not a consult backup (no manifest.json)")
    manifest = json.loads(fh.read())
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"unsupported backup format {manifest.get('format')!r} "
            f"version {manifest.get('version')!r}"
        )
    return manifest


def _safe_target(root: Path, member: str) -> Path:
    """Where a ``files/...`` member goes under ``root``; refuses anything that escapes it."""
    posix = PurePosixPath(member)
    if posix.is_absolute() or ".." in posix.parts or posix.parts[:1] != ("files",):
        raise BackupError(f"unsafe path in backup: {member!r}")
    target = (root / Path(*posix.parts[1:])).resolve()
    if root not in target.parents:
        raise BackupError(f"unsafe path in backup: {member!r}")
    return target


def verify_archive(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Check every member against its checksum before anything is written."""
    database = manifest["database"]
    if member_sha256(tar, database["path"]) != database["sha256"]:
        raise BackupError("the database in the backup does not match its checksum")
    for entry in manifest["files"]:
        if member_sha256(tar, entry["path"]) != entry["sha256"]:
            raise BackupError(f"{entry['path']} in the backup does not match its checksum")


def instance_is_empty() -> list[str]:
    """Reasons the current instance is not empty (none when it is)."""
    reasons = []
    with db.engine.connect() as conn:
        existing = set(inspect(conn).get_table_names())
        for name in DATA_TABLES:
            if name in existing:
                table = db.metadata.tables[name]
                n = conn.execute(select(func.count()).select_from(table)).scalar_one()
                if n:
                    reasons.append(f"{name} has {n} rows")
    root = upload_root()
    if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
        reasons.append(f"{root} holds files")
    return reasons


def _extract_to(tar: tarfile.TarFile, member: str, target: Path) -> None:
    """Write a member to ``target`` under a temporary name, fsync, then rename."""
    source = tar.extractfile(member)
    if source is None:
        raise BackupError(f"{member} is missing from the backup")
    private_dir(target.parent)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with open_private(partial) as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _restore_sqlite(tar: tarfile.TarFile, member: str) -> None:
    target = sqlite_path(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]))
    db.session.remove()
    db.engine.dispose()
    # The empty database's journal must not be replayed over the restored file.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _extract_to(tar, member, target)


def _restore_postgres(tar: tarfile.TarFile, member: str) -> None:
    pg_restore = pg_tool("pg_restore")
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="consult-restore-") as tmp:
        dump = Path(tmp) / "consult.pgdump"
        _extract_to(tar, member, dump)
        result = subprocess.run(  # noqa: S603  # nosec B603
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={url.database}",
                str(dump),
            ],
            env=libpq_env(url),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"pg_restore failed: {last}")


def restore_backup(archive: Path, *, force: bool = False) -> RestoreResult:
    """Restore ``archive`` into the current (empty) instance and check the result.

    ``force`` skips the emptiness check; the database and the files are then
    replaced wholesale, so the operator must mean it.
    """
    with tarfile.open(archive, "r:*") as tar:
        manifest = read_manifest(tar)
        dialect = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
        if manifest["dialect"] != dialect:
            raise BackupError(
                f"the backup holds a {manifest['dialect']} database; this instance uses {dialect}"
            )
        verify_archive(tar, manifest)
        if not force:
            reasons = instance_is_empty()
            if reasons:
                raise BackupError("restore needs an empty instance (" + "; ".join(reasons) + ")")
        root = upload_root()
        private_dir(root)
        targets = [
            (entry["path"], _safe_target(root, entry["path"])) for entry in manifest["files"]
        ]
        if dialect == "sqlite":
            _restore_sqlite(tar, manifest["database"]["path"])
        else:
            _restore_postgres(tar, manifest["database"]["path"])
        for member, target in targets:
            _extract_to(tar, member, target)
    with db.engine.connect() as conn:
        counts = table_counts(conn)
    expected = manifest["row_counts"]
    differing = [name for name, n in expected.items() if counts.get(name) != n]
    if differing:
        raise BackupError("restored row counts differ from the backup for: " + ", ".join(differing))
    return RestoreResult(dialect=dialect, row_counts=counts, files=len(targets))
