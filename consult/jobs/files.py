"""The files jobs make: written privately under the job's id, deleted when they expire.

The folder is ``JOB_FILES_DIR`` (default ``instance/job-files``), outside
``static/``; a file is only ever served through the job's download view,
which checks who is asking.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import current_app

from consult.maintenance.modes import open_private, private_dir

CHUNK = 256 * 1024


def files_dir() -> Path:
    configured = current_app.config.get("JOB_FILES_DIR") or os.path.join(
        current_app.config["INSTANCE_DIR"], "job-files"
    )
    return private_dir(configured)


def job_file(job_id: uuid.UUID) -> Path:
    return files_dir() / job_id.hex


def write_job_file(job_id: uuid.UUID, chunks: Iterable[bytes]) -> int:
    """Write the file of a job (replacing a half-written one); return its size in bytes."""
    path = job_file(job_id)
    path.unlink(missing_ok=True)
    size = 0
    with open_private(path) as handle:
        for chunk in chunks:
            handle.write(chunk)
            size += len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return size


def read_job_file(job_id: uuid.UUID) -> Iterator[bytes]:
    with job_file(job_id).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def delete_job_file(job_id: uuid.UUID) -> None:
    job_file(job_id).unlink(missing_ok=True)


def stored_files() -> list[Path]:
    return [path for path in files_dir().iterdir() if path.is_file()]
