"""``/api/v1/inputs/{id}/messages``: read an input's thread, and write in it.

The thread is scoped like its input (404 outside); writing goes through
``consult.conversations.services`` exactly like the web form.
"""

from __future__ import annotations

from typing import IO, Any

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.api.blueprint import bp
from consult.api.requests import file_too_large, json_body, optional_string, validation_error
from consult.api.serializers import iso
from consult.audit.services import record
from consult.conversations.models import CSO_SIDE
from consult.conversations.services import post_message
from consult.conversations.thread import ShownMessage, build_thread
from consult.inputs.scope import load_input, speaks_for_an_organisation


def message_json(shown: ShownMessage) -> dict[str, Any]:
    """A message as the caller may read it, with the identifiers marked for the reader."""
    message = shown.message
    return {
        "id": str(message.id),
        "from": "organisation" if message.side == CSO_SIDE else "reviewers",
        "author": shown.author,
        "question": message.is_question,
        "body": message.body,
        "created_at": iso(message.created_at),
        "identifiers": [{"start": f.start, "end": f.end, "kind": f.kind} for f in shown.findings],
        "attachments": [
            {
                "id": str(att.id),
                "filename": att.filename,
                "content_type": att.content_type,
                "size": att.size,
                "url": url_for(
                    "api.download_message_file", input_id=message.input_id, attachment_id=att.id
                ),
            }
            for att in message.attachments
        ],
    }


@bp.route("/inputs/<input_id>/messages", methods=["GET"])
@login_only
def list_messages(input_id: str) -> Response:
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    thread = build_thread(item, user)
    if not speaks_for_an_organisation(user):
        record("thread.viewed", user, item, via="api")
    return jsonify(
        {
            "items": [message_json(m) for m in thread.messages],
            "can_write": thread.can_write,
            "question_waiting": thread.waiting is not None,
        }
    )


#: How a multipart form says true and false (a JSON body uses true and false).
FORM_BOOLEANS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _message_request() -> tuple[dict[str, Any], list[tuple[IO[bytes], str | None]]]:
    """The body and question, and the files: JSON, or multipart with repeated ``files``."""
    if request.mimetype != "multipart/form-data":
        return json_body(), []
    try:
        form, uploads = request.form, request.files.getlist("files")
    except RequestEntityTooLarge:
        raise file_too_large(int(current_app.config["MAX_ATTACHMENT_BYTES"])) from None
    data: dict[str, Any] = {"body": form.get("body")}
    if "question" in form:
        raw = form["question"].strip().lower()
        data["question"] = FORM_BOOLEANS.get(raw, raw)
    files = [(upload.stream, upload.filename) for upload in uploads if upload and upload.filename]
    return data, files


@bp.route("/inputs/<input_id>/messages", methods=["POST"])
@login_only
def post_message_api(input_id: str) -> Response:
    """Write in the thread: JSON, or multipart/form-data to send files with the text."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    data, files = _message_request()
    fields: dict[str, list[str]] = {}
    text = optional_string(data, "body", fields)
    question = data.get("question", False)
    if not isinstance(question, bool):
        fields["question"] = [_("Give true or false.")]
    if fields:
        raise validation_error(fields)
    message = post_message(user, item, text, question=question, files=files)
    shown = next(m for m in build_thread(item, user).messages if m.message.id == message.id)
    response = jsonify(message_json(shown))
    response.status_code = 201
    return response
