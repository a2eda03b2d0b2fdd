"""A job's page: its progress while it runs, its file or its error once it is done.

The page works without JavaScript: while the job runs it asks the browser to
load it again every few seconds (a ``refresh`` inside ``<noscript>``). With
JavaScript, ``static/job-status.js`` reads the JSON twin instead and moves
the progress bar in place, then reloads the page once the job has finished.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, stream_with_context
from flask_login import current_user

from consult.access import deny, login_only, may_see_job, parse_uuid
from consult.audit.services import record
from consult.auth.reauth import recent_sign_in_required
from consult.extensions import db
from consult.jobs.files import read_job_file
from consult.jobs.kinds import JobKind, load_kinds
from consult.jobs.models import Job, JobState
from consult.jobs.queue import notice_lost_job, purge_expired_jobs, read_progress
from consult.timeutil import utcnow

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

#: Seconds between two loads of a running job's page (without JavaScript).
REFRESH_SECONDS = 3


def _load(job_id: str) -> tuple[Job, JobKind]:
    """The job, if the signed-in user may see it; 404 otherwise (never confirm it exists)."""
    job = db.session.get(Job, parse_uuid(job_id))
    kind = load_kinds().get(job.kind) if job is not None else None
    if job is None or kind is None or not may_see_job(current_user, job, kind.permission):
        deny(current_user, "job of another user", object_type="job", object_id=job_id)
    notice_lost_job(job)
    if job.state == JobState.DONE and job.expires_at is not None and job.expires_at < utcnow():
        purge_expired_jobs()
        db.session.commit()
    return job, kind


def _progress(job: Job) -> dict:
    done_total = read_progress(job)
    done, total = done_total if done_total else (0, None)
    percent = min(100, round(100 * done / total)) if total else None
    return {"done": done, "total": total, "percent": percent}


def _page(job: Job, kind: JobKind, status: int = 200):
    done = job.state == JobState.DONE
    page = render_template(
        "jobs/status.html",
        job=job,
        title=kind.title(job),
        summary=kind.summary(job) if done else None,
        link=kind.link(job) if done else None,
        progress=_progress(job),
        refresh=REFRESH_SECONDS,
    )
    return page, status


@bp.route("/<job_id>")
@login_only
def status(job_id: str):
    return _page(*_load(job_id))


@bp.route("/<job_id>/progress")
@login_only
def progress(job_id: str):
    """The state and progress of a job, for the page's script."""
    job, _kind = _load(job_id)
    return jsonify(state=job.state, finished=job.finished, **_progress(job))


@bp.route("/<job_id>/file")
@login_only
@recent_sign_in_required
def download(job_id: str):
    job, kind = _load(job_id)
    if job.state == JobState.EXPIRED:
        return _page(job, kind, 410)  # the page says the file was deleted, and why
    if not job.has_file:
        abort(404)
    record("job.downloaded", current_user, job, kind=job.kind, file=job.file_name)
    db.session.commit()
    response = Response(
        stream_with_context(read_job_file(job.id)),
        content_type=job.file_type or "application/octet-stream",
    )
    disposition = "inline" if (job.file_type or "").startswith("text/html") else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{job.file_name}"'
    if job.file_size is not None:
        response.headers["Content-Length"] = str(job.file_size)
    return response
