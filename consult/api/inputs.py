"""``/api/v1/inputs``: list, read, submit (or draft), resubmit, attach and remove files.

Submitting goes through ``consult.submissions.services`` exactly like the web
form; this module only translates JSON to ``InputData`` and errors to JSON.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, or_, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from consult.access import deny, login_only, requires
from consult.api.blueprint import bp
from consult.api.requests import (
    PAGE_MAX,
    ApiError,
    decode_cursor,
    file_too_large,
    json_body,
    one_of,
    optional_json_body,
    optional_string,
    query_int,
    string_list,
    validation_error,
)
from consult.api.serializers import attachment_json, input_json, input_summary_json
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.inputs.paging import encode_cursor
from consult.inputs.scope import input_scope, load_input
from consult.inputs.states import Attribution, Status
from consult.submissions import services
from consult.submissions.attachments import AttachmentError, detect_kind

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _arg(name: str) -> str | None:
    value = request.args.get(name)
    return value if value not in (None, "") else None


@bp.route("/inputs", methods=["GET"])
@login_only
def list_inputs() -> Response:
    """The inputs the caller may see, newest first, a page at a time."""
    user = current_user._get_current_object()
    limit = query_int("limit", 50, minimum=1, maximum=PAGE_MAX)
    query = select(Input).where(input_scope(user))
    status = _arg("status")
    if status is not None:
        if status not in {s.value for s in Status}:
            raise validation_error({"status": [one_of(s.value for s in Status)]})
        query = query.where(Input.status == status)
    consultation = _arg("consultation")
    if consultation is not None:
        query = query.join(Consultation, Consultation.id == Input.consultation_id).where(
            Consultation.slug == consultation
        )
    after = _arg("after")
    if after is not None:
        moment, last_id = decode_cursor(after)
        query = query.where(
            or_(
                Input.created_at < moment,
                and_(Input.created_at == moment, Input.id < last_id),
            )
        )
    rows = list(
        db.session.scalars(
            query.order_by(Input.created_at.desc(), Input.id.desc()).limit(limit + 1)
        )
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id)
    return jsonify({"items": [input_summary_json(i, user) for i in rows], "next": next_cursor})


@bp.route("/inputs/<input_id>", methods=["GET"])
@login_only
def get_input(input_id: str) -> Response:
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    return jsonify(input_json(item, user))


# --------------------------------------------------------------------------- writing


def _consultation(ref: Any, fields: dict[str, list[str]]) -> Consultation | None:
    if not isinstance(ref, str) or not ref.strip():
        fields["consultation"] = [_("Give the consultation's slug (see GET /consultations).")]
        return None
    ref = ref.strip()
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == ref))
    if consultation is None:
        try:
            consultation = db.session.get(Consultation, uuid.UUID(ref))
        except ValueError:
            consultation = None
    if consultation is None:
        fields["consultation"] = [_("No consultation has this slug or id.")]
    return consultation


def _recommendations(data: dict[str, Any], fields: dict[str, list[str]]) -> list[tuple[str, str]]:
    value = data.get("recommendations")
    if value is None:
        return []
    problem = ['Give a list of {"addressee": slug, "text": text} objects.']
    if not isinstance(value, list):
        fields["recommendations"] = problem
        return []
    result = []
    for row in value:
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("addressee", ""), str)
            or not isinstance(row.get("text", ""), str)
        ):
            fields["recommendations"] = problem
            return []
        result.append((row.get("addressee") or "", row.get("text") or ""))
    return result


def _boolean(data: dict[str, Any], name: str, fields: dict[str, list[str]]) -> bool:
    value = data.get(name, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        fields[name] = [_("Give true or false.")]
        return False
    return value


def input_data(data: dict[str, Any], consultation: Consultation | None = None) -> Any:
    """``InputData`` from a JSON body; 400 naming every field of the wrong type."""
    fields: dict[str, list[str]] = {}
    if consultation is None:
        consultation = _consultation(data.get("consultation"), fields)
    text = {name: optional_string(data, name, fields) for name in ("title", "body")}
    slugs = {
        name: optional_string(data, name, fields)
        for name in ("priority", "level", "type", "language", "attribution")
    }
    result = {
        "country_codes": string_list(data, "countries", fields),
        "theme_slugs": string_list(data, "themes", fields),
        "recommendations": _recommendations(data, fields),
        "is_hq_direct": _boolean(data, "hq_direct", fields),
    }
    if fields:
        raise validation_error(fields)
    return services.InputData(
        consultation=consultation,
        priority_slug=slugs["priority"],
        level_slug=slugs["level"],
        type_slug=slugs["type"],
        language=slugs["language"] or "en",
        attribution=slugs["attribution"] or Attribution.NON_ATTRIBUTABLE,
        title=text["title"] or "",
        body=text["body"] or "",
        **result,
    )


def _idempotency_key(user: Any) -> str | None:
    """The header's key, scoped to the user (two callers may use the same key)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not IDEMPOTENCY_KEY_RE.fullmatch(key):
        raise validation_error(
            {"Idempotency-Key": [_("Use 1 to 64 letters, digits, '.', '_', ':' or '-'.")]}
        )
    return f"api:{user.id}:{key}"


def _created(item: Input, user: Any, *, replayed: bool) -> Response:
    response = jsonify(input_json(item, user))
    response.status_code = 201
    response.headers["Location"] = f"{bp.url_prefix}/inputs/{item.id}"
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.route("/inputs", methods=["POST"])
@requires("submit_input")
def create_input() -> Response:
    """Submit an input (routed at once), or save a draft with ``"draft": true``."""
    user = current_user._get_current_object()
    body = json_body()
    draft = body.get("draft", False)
    if not isinstance(draft, bool):
        raise validation_error({"draft": [_("Give true or false.")]})
    key = _idempotency_key(user)
    data = input_data(body)
    earlier = services.input_by_key(key) if key is not None else None
    if draft:
        item = services.save_draft(user, data, idempotency_key=key)
    else:
        # The input this key already made (a retry) is handed over, not looked up again.
        item = services.submit_input(
            user, data, earlier, idempotency_key=key, key_looked_up=key is not None
        )
    return _created(item, user, replayed=earlier is not None)


@bp.route("/inputs/<input_id>/submit", methods=["POST"])
@requires("submit_input")
def submit_draft(input_id: str) -> Response:
    """Submit a draft; a body with fields replaces the draft's values first."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    body = optional_json_body()
    data = input_data(body, item.consultation) if body else services.data_from_input(item)
    services.submit_input(user, data, item)
    return jsonify(input_json(item, user))


@bp.route("/inputs/<input_id>/resubmit", methods=["POST"])
@requires("submit_input")
def resubmit_input(input_id: str) -> Response:
    """Revise an input returned with a question and send it again (full set of fields)."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    data = input_data(json_body(), item.consultation)
    services.resubmit(user, item, data)
    return jsonify(input_json(item, user))


@bp.route("/inputs/<input_id>/attachments", methods=["POST"])
@requires("submit_input")
def add_attachment(input_id: str) -> Response:
    """Attach one file (multipart field ``file``) to a draft or a returned input."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    if request.mimetype != "multipart/form-data":
        raise ApiError(
            415, "unsupported_media_type", _("Send the file as multipart/form-data, field 'file'.")
        )
    limit = int(current_app.config["MAX_ATTACHMENT_BYTES"])
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise _too_large(limit)
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise _too_large(limit) from None
    if upload is None or not upload.filename:
        raise validation_error({"file": [_("Attach a file in the multipart field 'file'.")]})
    services.require_attachable(user, item)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise validation_error({"file": [_("The file is empty.")]})
    try:
        detect_kind(data)
    except AttachmentError as exc:
        raise ApiError(415, "unsupported_media_type", str(exc), {"file": [str(exc)]}) from None
    attachment = services.add_attachment(user, item, io.BytesIO(data), upload.filename)
    response = jsonify(attachment_json(attachment))
    response.status_code = 201
    return response


@bp.route("/inputs/<input_id>/attachments/<attachment_id>", methods=["DELETE"])
@requires("submit_input")
def remove_attachment(input_id: str, attachment_id: str) -> Response:
    """Take a file off a draft or a returned input (the same rules as the web form's Remove)."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    try:
        services.remove_attachment(user, attachment_id, item=item)
    except services.AttachmentOutOfReach:
        deny(user, "attachment out of reach", object_type="attachments", object_id=attachment_id)
    except StaleDataError:
        db.session.rollback()
        raise _changed_meanwhile() from None
    return Response(status=204)


def _changed_meanwhile() -> ApiError:
    return ApiError(
        409, "conflict", _("The input changed meanwhile; the file was not removed. Read it again.")
    )


def _too_large(limit: int) -> ApiError:
    return file_too_large(limit)
