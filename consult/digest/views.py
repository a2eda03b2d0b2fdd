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
from flask_babel import gettext as _
from flask_login import current_user

from consult.access import requires
from consult.digest.forms import DigestFilterForm, PublishReleaseForm, fill_consultations
from consult.digest.releases.preview import place_preview
from consult.digest.releases.publishing import ReleaseError, create_release, releases_of
from consult.digest.services import (
    FORMATS,
    DigestFilters,
    FilterError,
    build_digest,
    parse_filters,
    render_digest,
)
from consult.extensions import db

bp = Blueprint("digest", __name__, url_prefix="/digest")
# The review page shows moderators which place names a release would replace.
bp.add_app_template_global(place_preview, "release_place_preview")


def _publish_form(formdata=None) -> PublishReleaseForm:
    form = PublishReleaseForm(formdata=formdata)
    fill_consultations(form.consultation, everything=None)
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
        filters = parse_filters(request.args)
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
    try:
        release = create_release(
            form.consultation.data, current_user._get_current_object(), form.period.data
        )
    except ReleaseError as exc:
        db.session.rollback()
        form.period.errors = [str(exc)]
        return _page(filters_form, None, 400, publish=form)
    slug, number = release.consultation.slug, release.number
    db.session.commit()
    flash(
        _(
            "Release %(number)d of %(slug)s is published: %(count)d inputs. Every external "
            "file of this consultation now shows it.",
            number=number,
            slug=slug,
            count=release.input_count,
        ),
        "success",
    )
    return redirect(url_for("digest.index", audience="external", consultation=slug, release=number))


@bp.route("/download/<fmt>")
@requires("download_digest", recent_sign_in=True)
def download(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    try:
        filters = parse_filters(request.args)
        digest_file = render_digest(
            fmt, filters, current_user, part=request.args.get("part", "inputs")
        )
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
