"""The digest page and its downloads (HQ analysts)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from consult.access import requires
from consult.digest.forms import DigestFilterForm
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


def _page(form: DigestFilterForm, filters: DigestFilters | None, status: int = 200):
    digest = build_digest(filters) if filters is not None else None
    return (
        render_template(
            "digest/index.html",
            form=form,
            digest=digest,
            matrix=digest.matrix() if digest else None,
            query=filters.as_dict() if filters else {},
            formats=FORMATS,
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
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        return _page(_form_with_error(exc), None, 400)
    return _page(form, filters)


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
