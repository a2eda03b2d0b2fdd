"""A job's page: its progress while it runs, its file or its error once it is done.

The page works without JavaScript: while the job runs it asks the browser to
load it again every few seconds (a ``refresh`` inside ``<noscript>``). With
JavaScript, ``static/job-status.js`` reads the JSON twin instead and moves
the progress bar in place, then reloads the page once the job has finished.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from flask_login import current_user

from consult.access import login_only
from consult.auth.reauth import recent_sign_in_required
from consult.jobs.download import send_job_file
from consult.jobs.kinds import JobKind
from consult.jobs.lookup import job_progress, visible_job
from consult.jobs.models import Job, JobState

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

#: Seconds between two loads of a running job's page (without JavaScript).
REFRESH_SECONDS = 3


def _load(job_id: str) -> tuple[Job, JobKind]:
    return visible_job(current_user, job_id)


def _page(job: Job, kind: JobKind, status: int = 200):
    done = job.state == JobState.DONE
    page = render_template(
        "jobs/status.html",
        job=job,
        title=kind.title(job),
        summary=kind.summary(job) if done else None,
        link=kind.link(job) if done else None,
        progress=job_progress(job),
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
    return jsonify(state=job.state, finished=job.finished, **job_progress(job))


@bp.route("/<job_id>/file")
@login_only
@recent_sign_in_required
def download(job_id: str):
    job, kind = _load(job_id)
    if job.state == JobState.EXPIRED:
        return _page(job, kind, 410)  # the page says the file was deleted, and why
    if not job.has_file:
        abort(404)
    return send_job_file(current_user, job, via="web")
