"""``/api/v1/inputs/{id}/messages``: read an input's thread, and write in it.

The thread is scoped like its input (404 outside); writing goes through
``consult.conversations.services`` exactly like the web form.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.api.blueprint import bp
from consult.api.requests import json_body, optional_string, validation_error
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


@bp.route("/inputs/<input_id>/messages", methods=["POST"])
@login_only
def post_message_api(input_id: str) -> Response:
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    data = json_body()
    fields: dict[str, list[str]] = {}
    text = optional_string(data, "body", fields)
    question = data.get("question", False)
    if not isinstance(question, bool):
        fields["question"] = ["Give true or false."]
    if fields:
        raise validation_error(fields)
    message = post_message(user, item, text, question=question)
    shown = next(m for m in build_thread(item, user).messages if m.message.id == message.id)
    response = jsonify(message_json(shown))
    response.status_code = 201
    return response
