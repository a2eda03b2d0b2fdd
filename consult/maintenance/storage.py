"""Checking that attachment rows and attachment files match, both ways."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from consult.conversations.models import MessageAttachment
from consult.extensions import db
from consult.filestore import ATTACHMENTS, store
from consult.inputs.files import attachment_path
from consult.inputs.models import Attachment
from consult.maintenance.modes import LooseMode, loose_modes, tighten

#: A file younger than this may belong to an upload whose row is not committed
#: yet: it is reported but never removed.
ORPHAN_GRACE_SECONDS = 3600


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]).resolve()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class StorageReport:
    files_without_rows: list[Path] = field(default_factory=list)
    rows_without_files: list[Attachment] = field(default_factory=list)
    checksum_mismatches: list[Attachment] = field(default_factory=list)
    young_files: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    loose_modes: list[LooseMode] = field(default_factory=list)
    tightened: list[LooseMode] = field(default_factory=list)
    rows_checked: int = 0
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not (
            self.files_without_rows
            or self.rows_without_files
            or self.checksum_mismatches
            or self.loose_modes
        )


def private_folders() -> list[Path]:
    """The folders whose contents only the app's account may read: uploads and instance/."""
    folders = [upload_root()]
    instance = Path(current_app.instance_path).resolve()
    if not any(instance == f or instance.is_relative_to(f) for f in folders):
        folders.append(instance)
    return folders


def _stored_rows() -> Iterator[Any]:
    """Every row that names a stored file: input attachments, then message attachments."""
    for model in (Attachment, MessageAttachment):
        yield from db.session.scalars(select(model).order_by(model.created_at))


def check_storage(
    *, verify_checksums: bool = False, fix: bool = False, now: float | None = None
) -> StorageReport:
    """Compare the attachments table with the upload folder (or the shared store).

    ``fix`` removes files that no row refers to (once older than the grace
    period); rows whose file is missing cannot be repaired here and are only
    reported, with their ids, for an operator to restore from a backup.
    """
    if store().shared:
        return _check_shared(verify_checksums=verify_checksums, fix=fix)
    root = upload_root()
    report = StorageReport()
    known: set[Path] = set()
    for att in _stored_rows():
        report.rows_checked += 1
        path = attachment_path(att).resolve()
        known.add(path)
        if not path.is_file():
            report.rows_without_files.append(att)
        elif verify_checksums and sha256_of(path) != att.sha256:
            report.checksum_mismatches.append(att)
    now = time.time() if now is None else now
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            report.files_checked += 1
            if path.resolve() in known:
                continue
            young = now - path.stat().st_mtime < ORPHAN_GRACE_SECONDS
            if young:
                report.young_files.append(path)
                continue
            report.files_without_rows.append(path)
            if fix:
                path.unlink(missing_ok=True)
                report.removed.append(path)
    report.loose_modes = loose_modes(private_folders())
    if fix and report.loose_modes:
        tighten(report.loose_modes)
        report.tightened, report.loose_modes = report.loose_modes, []
    if fix:
        report.files_without_rows = [
            p for p in report.files_without_rows if p not in report.removed
        ]
    return report


def _check_shared(*, verify_checksums: bool, fix: bool) -> StorageReport:
    """The same comparison with a shared store (large objects): rows against stored names.

    ``fix`` deletes stored files that no row refers to; the caller commits.
    """
    files = store()
    report = StorageReport()
    stored = set(files.keys(ATTACHMENTS))
    known: set[str] = set()
    for att in db.session.scalars(select(Attachment).order_by(Attachment.created_at)):
        report.rows_checked += 1
        known.add(att.storage_name)
        if att.storage_name not in stored:
            report.rows_without_files.append(att)
        elif verify_checksums:
            digest = hashlib.sha256()
            for chunk in files.chunks(ATTACHMENTS, att.storage_name):
                digest.update(chunk)
            if digest.hexdigest() != att.sha256:
                report.checksum_mismatches.append(att)
    for key in sorted(stored - known):
        report.files_checked += 1
        path = Path(ATTACHMENTS) / key
        if fix:
            files.delete(ATTACHMENTS, key)
            report.removed.append(path)
        else:
            report.files_without_rows.append(path)
    report.files_checked += len(known & stored)
    return report
