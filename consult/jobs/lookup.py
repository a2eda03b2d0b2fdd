"""Finding a job for a person: the web page and the API see the same jobs.

A job another person may not see is answered as if it did not exist (404),
as every object outside a person's scope is.
"""

from __future__ import annotations

from typing import Any

from consult.access import deny, may_see_job, parse_uuid
from consult.extensions import db
from consult.jobs.kinds import JobKind, load_kinds
from consult.jobs.models import Job, JobState
from consult.jobs.queue import notice_lost_job, purge_expired_jobs, read_progress
from consult.timeutil import utcnow


def visible_job(user: Any, job_id: str) -> tuple[Job, JobKind]:
    """The job and its kind, brought up to date; 404 when ``user`` may not see it.

    Up to date: a job whose worker died is marked failed, and a file whose time
    is up is deleted, before anyone is told about it.
    """
    job = db.session.get(Job, parse_uuid(job_id))
    kind = load_kinds().get(job.kind) if job is not None else None
    if job is None or kind is None or not may_see_job(user, job, kind.permission):
        deny(user, "job of another user", object_type="job", object_id=job_id)
    notice_lost_job(job)
    if job.state == JobState.DONE and job.expires_at is not None and job.expires_at < utcnow():
        purge_expired_jobs()
        db.session.commit()
    return job, kind


def job_progress(job: Job) -> dict[str, int | None]:
    """How far a job got: done, total and percent (total and percent may be None).

    A done job went all the way: its result's ``count`` when it has one.
    """
    if job.state == JobState.DONE:
        count = job.result.get("count") if job.result else None
        return {"done": count or 0, "total": count, "percent": 100}
    done_total = read_progress(job)
    done, total = done_total if done_total else (0, None)
    percent = min(100, round(100 * done / total)) if total else None
    return {"done": done, "total": total, "percent": percent}
