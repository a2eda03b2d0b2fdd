"""The two ends of the queue: :func:`start_job` (a view, a command) and :func:`run_job`.

With ``JOBS_REDIS_URL`` set, :func:`start_job` puts the job on the RQ queue
``consult`` and returns at once; a worker (``flask jobs worker``) runs it.
Without it, the job runs in-process before :func:`start_job` returns, so
``make run`` and the tests need no Redis and give the same results.

The job's state lives in the database (every app server sees it); only its
progress goes to Redis (see :mod:`consult.jobs.progress`).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.audit.services import record
from consult.errors import DomainError
from consult.extensions import db
from consult.jobs import progress
from consult.jobs.files import delete_job_file, stored_job_ids, write_job_file
from consult.jobs.kinds import KINDS, Outcome, kind_of, load_kinds
from consult.jobs.models import Job, JobState
from consult.timeutil import utcnow

PROGRESS_KEY = "consult:job-progress:{}"


class JobRefused(DomainError):
    """The work cannot be done as asked; the message says why, for the job's page."""


def asynchronous() -> bool:
    """Whether jobs go to a worker (a Redis is configured) rather than run in-process."""
    return bool(current_app.config.get("JOBS_REDIS_URL"))


def redis_connection() -> Any:
    from redis import Redis

    return Redis.from_url(current_app.config["JOBS_REDIS_URL"])


def rq_queue(connection: Any = None) -> Any:
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=connection or redis_connection())


def unfinished_job(
    kind: str,
    owner: Any,
    params: dict[str, Any],
    states: tuple[JobState, ...] = (JobState.QUEUED, JobState.RUNNING),
) -> Job | None:
    """The owner's (or the system's) job of this kind and params still waiting or running."""
    candidates = db.session.scalars(
        select(Job).where(
            Job.kind == kind,
            Job.owner_id.is_(None) if owner is None else Job.owner_id == owner.id,
            Job.state.in_(states),
        )
    )
    return next((job for job in candidates if job.params == params), None)


def start_job(
    kind: str,
    owner: Any,
    params: dict[str, Any],
    *,
    at: datetime | None = None,
    join_running: bool = True,
    audit: bool = True,
) -> Job:
    """Record a job, commit, and queue it (or run it here when there is no queue).

    It commits, unlike a service: the worker must find the row. Whatever the
    caller had pending is committed with it. The same request again (a reload,
    a double click) while the first is waiting or running gets that first job
    (with ``join_running=False``, only one still waiting: work that must see
    what happened since a running one began). ``at`` puts it on the queue for
    later (the worker's scheduler starts it then); without a queue it runs now.
    ``audit=False`` is for the system's routine rounds, which would only bury
    people's actions in the audit log.
    """
    if kind not in load_kinds():
        raise KeyError(f"unknown job kind {kind!r}")
    states = (JobState.QUEUED, JobState.RUNNING) if join_running else (JobState.QUEUED,)
    same = unfinished_job(kind, owner, params, states)
    if same is not None:
        return same
    purge_expired_jobs()
    job = Job(
        id=uuid.uuid4(),
        kind=kind,
        owner_id=getattr(owner, "id", None),
        owner_role=getattr(owner, "role", None),
        locale=str(get_locale() or "en"),
        params=params,
        state=JobState.QUEUED,
    )
    db.session.add(job)
    if audit:
        record("job.started", owner, job, kind=kind, queued=asynchronous())
    db.session.commit()
    if not asynchronous():
        run_job(job.id)
        return job
    options = {
        "job_id": str(job.id),
        "job_timeout": current_app.config["JOB_TIMEOUT_SECONDS"],
        "result_ttl": 3600,
        "failure_ttl": 24 * 3600,
    }
    try:
        if at is None:
            rq_queue().enqueue("consult.jobs.worker.perform", str(job.id), **options)
        else:
            when = at if at.tzinfo else at.replace(tzinfo=UTC)  # our times are naive UTC
            rq_queue().enqueue_at(when, "consult.jobs.worker.perform", str(job.id), **options)
    except Exception:  # the queue is down: say so on the job's page
        current_app.logger.exception("job %s could not be queued", job.id)
        _fail(job, _("The job queue cannot be reached just now. Try again in a few minutes."))
    return job


def _fail(job: Job, message: str) -> None:
    job.state = JobState.FAILED
    job.error = message
    job.finished_at = utcnow()
    db.session.commit()


def _reporter(job_id: uuid.UUID) -> progress.Reporter:
    if not asynchronous():
        return lambda done, total: None  # nobody can look while the request runs it
    connection = redis_connection()
    key = PROGRESS_KEY.format(job_id.hex)
    ttl = current_app.config["JOB_TIMEOUT_SECONDS"]

    def report(done: int, total: int | None) -> None:
        try:
            connection.set(key, json.dumps({"done": done, "total": total}), ex=ttl)
        except Exception:  # progress is a courtesy: never fail the work for it
            current_app.logger.warning("job %s: progress not saved", job_id)

    return report


def read_progress(job: Job) -> tuple[int, int | None] | None:
    """(done, total) of a running job, when its worker said; None otherwise."""
    if job.state != JobState.RUNNING or not asynchronous():
        return None
    try:
        raw = redis_connection().get(PROGRESS_KEY.format(job.id.hex))
    except Exception:
        return None
    if not raw:
        return None
    value = json.loads(raw)
    return int(value["done"]), value.get("total")


def run_job(job_id: uuid.UUID) -> None:
    """Do a queued job's work, store its outcome, commit. A job runs once."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.QUEUED:
        return
    job.state = JobState.RUNNING
    job.started_at = utcnow()
    db.session.commit()
    kind = kind_of(job)
    with force_locale(job.locale):
        try:
            with progress.tracking(_reporter(job.id)):
                outcome = kind.handler(job)
                size = write_job_file(job.id, outcome.chunks) if outcome.chunks else None
        except DomainError as exc:
            db.session.rollback()
            delete_job_file(job.id)
            _fail(job, exc.message)
            return
        except Exception:
            db.session.rollback()
            delete_job_file(job.id)
            current_app.logger.exception("job %s (%s) failed", job.id, job.kind)
            _fail(
                job,
                _(
                    "The job stopped because of an error on the server. It has been logged; "
                    "try again, and tell an administrator if it happens again."
                ),
            )
            return
    _finish(job, outcome, size)


def _finish(job: Job, outcome: Outcome, size: int | None) -> None:
    job.state = JobState.DONE
    job.result = outcome.result
    job.finished_at = utcnow()
    if size is not None:
        job.file_name = outcome.file_name
        job.file_type = outcome.file_type
        job.file_size = size
        job.expires_at = job.finished_at + timedelta(hours=current_app.config["JOB_FILE_HOURS"])
    db.session.commit()


def notice_lost_job(job: Job) -> None:
    """A queued or running job whose worker died (or timed out) is marked failed."""
    if job.finished or not asynchronous():
        return
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RqJob

    try:
        rq_job = RqJob.fetch(str(job.id), connection=redis_connection())
        status = rq_job.get_status(refresh=True)
    except NoSuchJobError:
        status = None
    except Exception:  # Redis down: say nothing rather than guess
        return
    if status is None or str(status) in {"failed", "stopped", "canceled"}:
        db.session.refresh(job)
        if not job.finished:
            _fail(
                job,
                _(
                    "The job did not finish: the worker running it stopped or ran out of "
                    "time. Start it again; if it fails again, tell an administrator."
                ),
            )


def purge_expired_jobs() -> int:
    """Delete the files whose time is up (and stray files); mark their jobs expired.

    Also forgets failed jobs older than the same time, and the system's own
    finished jobs (mail rounds, purges: no owner, no file). Returns the number
    of files deleted. The caller commits (deletions take effect then).
    """
    now = utcnow()
    hours = current_app.config["JOB_FILE_HOURS"]
    old = Job.created_at < now - timedelta(hours=hours)
    expired = db.session.scalars(
        select(Job).where(
            or_(
                Job.expires_at < now,
                (Job.state == JobState.FAILED) & old,
                (Job.state == JobState.DONE)
                & Job.owner_id.is_(None)
                & Job.file_name.is_(None)
                & old,
            ),
            Job.state != JobState.EXPIRED,
        )
    ).all()
    deleted = 0
    for job in expired:
        if job.file_name is not None:
            delete_job_file(job.id)
            deleted += 1
        if job.state == JobState.FAILED or (job.owner_id is None and job.file_name is None):
            db.session.delete(job)
        else:
            job.state = JobState.EXPIRED
    # Files without a live job (its owner deleted, a crash before the row said so).
    known = set(db.session.scalars(select(Job.id).where(Job.state != JobState.EXPIRED)))
    handled = {job.id for job in expired}
    for job_id in stored_job_ids():
        if job_id not in known and job_id not in handled:
            delete_job_file(job_id)
            deleted += 1
    return deleted


__all__ = [
    "KINDS",
    "JobRefused",
    "asynchronous",
    "notice_lost_job",
    "purge_expired_jobs",
    "read_progress",
    "run_job",
    "start_job",
]
