"""``GET /api/v1/digest`` (streamed by the web's own ``render_digest``) and the releases.

External digests are projections of a published release; ``/releases`` lists
them and publishes the next one, as the digest page and ``flask release`` do.
Long work answers ``202 Accepted`` with a job (see :mod:`consult.api.jobs`):
a digest of more than ``JOB_THRESHOLD_INPUTS`` inputs, and a publication
when a job queue is configured.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.access import requires
from consult.api.blueprint import bp
from consult.api.jobs import accepted
from consult.api.requests import json_body, one_of, validation_error
from consult.digest.jobs import digest_job_params
from consult.digest.releases.errors import ReleaseError
from consult.digest.releases.models import Release
from consult.digest.releases.publishing import check_publishable, releases_of
from consult.digest.rendering import check_format, needs_job
from consult.digest.services import FORMATS, parse_filters, render_digest
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.jobs.kinds import kind_of
from consult.jobs.models import JobState
from consult.jobs.queue import start_job


@bp.route("/digest")
@requires("download_digest")
def digest() -> Response:
    """Forwarded inputs as csv, xlsx, json, docx or html, filtered like the digest page."""
    user = current_user._get_current_object()
    fmt = (request.args.get("format") or "json").lower()
    if fmt not in FORMATS:
        raise validation_error({"format": [one_of(FORMATS)]})
    part = request.args.get("part") or "inputs"
    filters = parse_filters(request.args)
    check_format(fmt, part)
    if needs_job(filters):
        job = start_job("digest.file", user, digest_job_params(fmt, part, filters.as_dict()))
        return accepted(job, kind_of(job))
    file = render_digest(fmt, filters, user, part=part, via="api")
    db.session.commit()  # the audit row of the download, before the bytes flow
    response = Response(stream_with_context(iter(file.chunks)), content_type=file.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.headers["X-Digest-Count"] = str(file.count)
    return response


def release_object(release: Release) -> dict[str, Any]:
    audit = release.audit
    return {
        "consultation": release.consultation.slug,
        "number": release.number,
        "period_start": release.period_start,
        "period_end": release.period_end,
        "published_at": release.published_at.isoformat() + "Z",
        "published_by": release.published_by.display_name if release.published_by else None,
        "min_group_size": release.k,
        "inputs": release.input_count,
        "small_cells": len(audit["intervals"]),
        "audit_passes": bool(audit["passes"]),
    }


@bp.route("/releases", methods=["GET"])
@requires("download_digest")
def releases() -> Response:
    """Published external releases, newest first (``?consultation=`` for one)."""
    consultation = (request.args.get("consultation") or "").strip() or None
    return jsonify({"items": [release_object(r) for r in releases_of(consultation)]})


def _published(slug: str, number: int) -> Release:
    return db.session.scalars(
        select(Release)
        .join(Consultation)
        .where(Consultation.slug == slug, Release.number == number)
    ).one()


@bp.route("/releases", methods=["POST"])
@requires("publish_release")
def publish_release() -> Response:
    """Publish the next external release of a consultation (immutable once published)."""
    body = json_body()
    fields: dict[str, list[str]] = {}
    consultation = body.get("consultation")
    if not isinstance(consultation, str) or not consultation.strip():
        fields["consultation"] = [_("Give the consultation's slug.")]
    period = body.get("period")
    if period is not None and not isinstance(period, str):
        fields["period"] = [_("Give the months as YYYY-MM..YYYY-MM, or leave it out.")]
    if fields:
        raise validation_error(fields)
    user = current_user._get_current_object()
    check_publishable(consultation.strip(), period)  # a refusal is a 422 now, not a failed job
    job = start_job(
        "release.publish", user, {"consultation": consultation.strip(), "period": period}
    )
    if job.state == JobState.FAILED:  # refused while running in this request
        raise ReleaseError(job.error or "")
    if job.state != JobState.DONE:  # on the queue: the caller follows the job
        return accepted(job, kind_of(job))
    release = _published(job.result["slug"], job.result["number"])
    response = jsonify(release_object(release))
    response.status_code = 201
    return response
