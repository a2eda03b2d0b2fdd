"""Files in folders on this machine: ``UPLOAD_DIR`` and ``JOB_FILES_DIR`` (0700, files 0600)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import current_app

from consult.extensions import db
from consult.filestore.base import ATTACHMENTS, CHUNK
from consult.maintenance.filetx import (
    fsync_dir,
    remove_on_rollback,
    unlink_after_commit,
)
from consult.maintenance.modes import open_private, private_dir


class LocalStore:
    shared = False

    def folder(self, namespace: str) -> Path:
        config = current_app.config
        if namespace == ATTACHMENTS:
            return Path(config["UPLOAD_DIR"])
        return Path(
            config.get("JOB_FILES_DIR") or os.path.join(config["INSTANCE_DIR"], "job-files")
        )

    def local_path(self, namespace: str, key: str) -> Path:
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"not a stored file's name: {key!r}")
        return self.folder(namespace) / key

    def put(self, namespace: str, key: str, data: bytes | Iterable[bytes]) -> int:
        folder = private_dir(self.folder(namespace))
        path = folder / key
        path.unlink(missing_ok=True)  # a half-written earlier try
        size = 0
        with open_private(path) as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        fsync_dir(folder)
        remove_on_rollback(db.session, path)
        return size

    def chunks(self, namespace: str, key: str) -> Iterator[bytes]:
        with self.local_path(namespace, key).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def exists(self, namespace: str, key: str) -> bool:
        return self.local_path(namespace, key).is_file()

    def delete(self, namespace: str, key: str) -> None:
        unlink_after_commit(db.session, self.local_path(namespace, key))

    def keys(self, namespace: str) -> list[str]:
        folder = self.folder(namespace)
        if not folder.is_dir():
            return []
        return sorted(path.name for path in folder.iterdir() if path.is_file())
