"""The files jobs make, in the configured storage (:mod:`consult.filestore`, namespace ``jobs``).

With the local backend they are under ``JOB_FILES_DIR`` (default
``instance/job-files``), outside ``static/``; a file is only ever served
through the job's download view, which checks who is asking.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from consult.filestore import JOBS, store


def job_file(job_id: uuid.UUID) -> Path | None:
    """The file on this machine (local storage only)."""
    return store().local_path(JOBS, job_id.hex)


def write_job_file(job_id: uuid.UUID, chunks: Iterable[bytes]) -> int:
    """Write the file of a job (replacing a half-written one); return its size in bytes."""
    return store().put(JOBS, job_id.hex, chunks)


def read_job_file(job_id: uuid.UUID) -> Iterator[bytes]:
    return store().chunks(JOBS, job_id.hex)


def delete_job_file(job_id: uuid.UUID) -> None:
    if store().exists(JOBS, job_id.hex):
        store().delete(JOBS, job_id.hex)


def stored_job_ids() -> list[uuid.UUID]:
    found = []
    for key in store().keys(JOBS):
        try:
            found.append(uuid.UUID(hex=key))
        except ValueError:
            continue
    return found
