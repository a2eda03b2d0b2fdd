"""The download of a job's file, the same from the job's page and from the API."""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context

from consult.audit.services import record
from consult.extensions import db
from consult.jobs.files import read_job_file
from consult.jobs.models import Job


def send_job_file(user: Any, job: Job, *, via: str) -> Response:
    """Stream the file of a done job, after its download is on record.

    A printable HTML report opens in the browser; every other file is saved.
    """
    record("job.downloaded", user, job, kind=job.kind, file=job.file_name, via=via)
    db.session.commit()  # the audit row, before the bytes flow
    response = Response(
        stream_with_context(read_job_file(job.id)),
        content_type=job.file_type or "application/octet-stream",
    )
    html = (job.file_type or "").startswith("text/html") and via == "web"
    disposition = "inline" if html else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{job.file_name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    if job.file_size is not None:
        response.headers["Content-Length"] = str(job.file_size)
    return response
