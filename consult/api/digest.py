"""``GET /api/v1/digest``: the HQ digest, streamed by the web's own ``render_digest``."""

from __future__ import annotations

from flask import Response, request, stream_with_context
from flask_login import current_user

from consult.access import requires
from consult.api.blueprint import bp
from consult.api.requests import validation_error
from consult.digest.services import FORMATS, FilterError, parse_filters, render_digest
from consult.extensions import db


@bp.route("/digest")
@requires("download_digest")
def digest() -> Response:
    """Forwarded inputs as csv, xlsx, json, docx or html, filtered like the digest page."""
    user = current_user._get_current_object()
    fmt = (request.args.get("format") or "json").lower()
    if fmt not in FORMATS:
        raise validation_error({"format": ["Use one of: " + ", ".join(FORMATS) + "."]})
    part = request.args.get("part") or "inputs"
    try:
        filters = parse_filters(request.args)
        file = render_digest(fmt, filters, user, part=part, via="api")
    except FilterError as exc:
        db.session.rollback()
        raise validation_error({exc.field or "filters": [str(exc)]}, str(exc)) from None
    db.session.commit()  # the audit row of the download, before the bytes flow
    response = Response(stream_with_context(iter(file.chunks)), content_type=file.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.headers["X-Digest-Count"] = str(file.count)
    return response
