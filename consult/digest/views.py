"""The digest page, its downloads, and publishing external releases (HQ analysts)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consult.access import requires
from consult.digest.forms import DigestFilterForm, PublishReleaseForm, fill_consultations
from consult.digest.jobs import digest_job_params
from consult.digest.releases.errors import ReleaseError
from consult.digest.releases.preview import place_preview
from consult.digest.releases.publishing import check_publishable, releases_of
from consult.digest.rendering import check_format, needs_job
from consult.digest.services import (
    FORMATS,
    DigestFilters,
    FilterError,
    build_digest,
    parse_filters,
    render_digest,
)
from consult.extensions import db
from consult.jobs.kinds import load_kinds
from consult.jobs.models import JobState
from consult.jobs.queue import start_job

bp = Blueprint("digest", __name__, url_prefix="/digest")
# The review page shows moderators which place names a release would replace.
bp.add_app_template_global(place_preview, "release_place_preview")


def _publish_form(formdata=None) -> PublishReleaseForm:
    form = PublishReleaseForm(formdata=formdata)
    # A required choice starts empty: nothing is published by a default nobody chose.
    fill_consultations(form.consultation, everything=_l("Choose a consultation"))
    return form


def _page(
    form: DigestFilterForm,
    filters: DigestFilters | None,
    status: int = 200,
    publish: PublishReleaseForm | None = None,
):
    digest = build_digest(filters) if filters is not None else None
    return (
        render_template(
            "digest/index.html",
            form=form,
            digest=digest,
            matrix=digest.matrix() if digest else None,
            external=bool(filters is not None and filters.external),
            query=digest.query if digest else {},
            formats=FORMATS,
            releases=releases_of(),
            publish=publish or _publish_form(),
        ),
        status,
    )


def _form_with_error(exc: FilterError) -> DigestFilterForm:
    form = DigestFilterForm(formdata=request.args)
    form.fill_choices()
    field = form._fields.get(exc.field or "")
    if field is not None:
        field.errors = [str(exc)]
    else:
        form.form_errors.append(str(exc))
    return form


@bp.route("/")
@requires("download_digest")
def index():
    form = DigestFilterForm(formdata=request.args)
    form.fill_choices()
    if not any(value.strip() for value in request.args.values()):
        return _page(form, None)
    try:
        filters = parse_filters(request.args, local_dates=True)
        return _page(form, filters)
    except FilterError as exc:
        db.session.rollback()
        return _page(_form_with_error(exc), None, 400)


@bp.route("/releases", methods=["POST"])
@requires("publish_release")
def publish():
    form = _publish_form(request.form)
    filters_form = DigestFilterForm(formdata=None)
    filters_form.fill_choices()
    if not form.validate():
        return _page(filters_form, None, 400, publish=form)
    try:  # refused here and now, beside the field, rather than as a job that fails later
        check_publishable(form.consultation.data, form.period.data or None)
    except ReleaseError as exc:
        form.period.errors = [exc.message]
        return _page(filters_form, None, 400, publish=form)
    # A job: on a worker when there is a queue (the job's page follows it), in this
    # request otherwise (the answer is then the same as it always was).
    job = start_job(
        "release.publish",
        current_user._get_current_object(),
        {"consultation": form.consultation.data, "period": form.period.data or None},
    )
    if job.state == JobState.FAILED:
        form.period.errors = [job.error or ""]
        return _page(filters_form, None, 400, publish=form)
    if job.state != JobState.DONE:
        return redirect(url_for("jobs.status", job_id=job.id))
    kind = load_kinds()[job.kind]
    flash(kind.summary(job), "success")
    return redirect(kind.link(job) or url_for("digest.index"))


@bp.route("/download/<fmt>")
@requires("download_digest", recent_sign_in=True)
def download(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    part = request.args.get("part", "inputs")
    try:
        filters = parse_filters(request.args)
        check_format(fmt, part)
        if needs_job(filters):
            user = current_user._get_current_object()
            job = start_job("digest.file", user, digest_job_params(fmt, part, filters.as_dict()))
            return redirect(url_for("jobs.status", job_id=job.id))
        digest_file = render_digest(fmt, filters, current_user, part=part)
    except FilterError as exc:
        db.session.rollback()
        return _page(_form_with_error(exc), None, 400)
    db.session.commit()
    response = Response(
        stream_with_context(iter(digest_file.chunks)), content_type=digest_file.mimetype
    )
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{digest_file.filename}"'
    return response
