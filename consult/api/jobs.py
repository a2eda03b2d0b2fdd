"""``/api/v1/jobs/{id}``: long work started through the API, followed and fetched.

A digest above ``JOB_THRESHOLD_INPUTS`` inputs and, with a job queue, the
publication of a release answer ``202 Accepted`` with a job and its
``Location``; the caller polls the job until it is ``done`` (then fetches
its file, if it made one) or ``failed`` (its ``error`` says why). The same
jobs are on the web's job pages, with the same rules on who sees them.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.api.blueprint import bp
from consult.inputs.plain import iso
from consult.jobs.download import send_job_file
from consult.jobs.kinds import JobKind
from consult.jobs.lookup import job_progress, visible_job
from consult.jobs.models import Job, JobState
from consult.main.errors import json_error


def job_object(job: Job, kind: JobKind) -> dict[str, Any]:
    """A job as the API shows it, in the caller's language."""
    done = job.state == JobState.DONE
    file = None
    if job.has_file:
        file = {
            "name": job.file_name,
            "type": job.file_type,
            "size": job.file_size,
            "expires_at": iso(job.expires_at),
            "url": url_for("api.job_file", job_id=job.id),
        }
    return {
        "id": str(job.id),
        "kind": job.kind,
        "title": kind.title(job),
        "state": str(job.state),
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
        "progress": job_progress(job),
        "result": job.result or {},
        "summary": kind.summary(job) if done else None,
        "error": job.error if job.state == JobState.FAILED else None,
        "file": file,
    }


def accepted(job: Job, kind: JobKind) -> Response:
    """``202 Accepted``: the work goes on (or went on) as a job; poll its ``Location``."""
    response = jsonify(job_object(job, kind))
    response.status_code = 202
    response.headers["Location"] = url_for("api.job", job_id=job.id)
    return response


@bp.route("/jobs/<job_id>")
@login_only
def job(job_id: str) -> Response:
    """A job of the caller's (or, for an HQ digest, of another HQ analyst's)."""
    found, kind = visible_job(current_user, job_id)
    return jsonify(job_object(found, kind))


@bp.route("/jobs/<job_id>/file")
@login_only
def job_file(job_id: str) -> Response:
    """The file a done job made; 410 once it was deleted after ``JOB_FILE_HOURS``."""
    found, _kind = visible_job(current_user, job_id)
    if found.state == JobState.EXPIRED:
        return json_error(
            410, "gone", _("The job's file was deleted after its time; start the job again.")
        )
    if not found.has_file:
        abort(404)
    return send_job_file(current_user, found, via="api")
