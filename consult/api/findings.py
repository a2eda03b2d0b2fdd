"""Possible identifiers in an input under review: list them, redact or dismiss them.

On a non-attributable or HQ-direct input, ``POST /inputs/{id}/decision`` with
``forward`` answers 409 ``findings_pending`` with the list until each finding is
redacted or dismissed here.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import requires
from consult.api.blueprint import bp
from consult.api.requests import ApiError, json_body, validation_error
from consult.inputs.scope import load_input
from consult.review import services


def _findings_json(item: Any) -> dict[str, Any]:
    found = services.field_findings(item)
    needs = services.needs_clearance(item)
    return {
        "version": item.version,
        "needs_clearance": needs,
        "pending": sum(1 for f in found if not f.dismissed) if needs else 0,
        "findings": [f.as_json() for f in found],
    }


@bp.route("/inputs/<input_id>/findings")
@requires("review")
def list_findings(input_id: str) -> Response:
    """Every possible identifier in the reviewed text, its kind, whether it was dismissed."""
    item = load_input(input_id, current_user._get_current_object())
    if not services.can_review(current_user, item):
        raise ApiError(422, "unprocessable", _("You cannot review this input."))
    return jsonify(_findings_json(item))


def _keys_and_version(body: dict[str, Any]) -> tuple[list[str], int]:
    fields: dict[str, list[str]] = {}
    keys = body.get("findings")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        fields["findings"] = [_("Give the keys of the findings (GET /inputs/{id}/findings).")]
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        fields["version"] = [_("Send the input's version as you read it (GET /inputs/{id}).")]
    if fields:
        raise validation_error(fields)
    return keys, version


def _handle(input_id: str, act: Any) -> Response:
    """Run ``act``; its refusals become JSON errors in one place (consult.api.refusals)."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    keys, version = _keys_and_version(json_body())
    act(user, item, keys, version=version)
    return jsonify(_findings_json(item))


@bp.route("/inputs/<input_id>/findings/dismiss", methods=["POST"])
@requires("review")
def dismiss_findings(input_id: str) -> Response:
    """Dismiss findings that identify no one (recorded in the audit log without the text)."""
    return _handle(input_id, services.dismiss_findings)


@bp.route("/inputs/<input_id>/findings/redact", methods=["POST"])
@requires("review")
def redact_findings(input_id: str) -> Response:
    """Replace findings with ``[redacted]`` in the reviewed text (the original stays sealed)."""
    return _handle(input_id, services.redact_identifiers)
