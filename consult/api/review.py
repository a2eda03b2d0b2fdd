"""The review endpoints: the queue, claims, corrections and redactions, decisions, HQ feedback.

All rules live in ``consult.review.services``; this module maps JSON to its
arguments. Its refusals become JSON errors in one place
(:mod:`consult.api.refusals`): a stale ``version`` is 409 with the current
version and what changed, a rule that forbids the action is 422.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import requires
from consult.api.blueprint import bp
from consult.api.requests import (
    PAGE_MAX,
    json_body,
    one_of,
    optional_json_body,
    optional_string,
    query_int,
    string_list,
    validation_error,
)
from consult.api.serializers import input_json, input_summary_json
from consult.inputs.scope import load_input
from consult.review import services
from consult.review.queue import KINDS, QueueFilterError

QUEUE_FILTERS = ("consultation", "priority", "country", "type", "theme", "status", "q")


def _version(body: dict[str, Any], *, required: bool) -> int | None:
    value = body.get("version")
    if value is None:
        if required:
            raise validation_error(
                {"version": [_("Send the input's version as you read it (GET /inputs/{id}).")]}
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation_error({"version": [_("Give the version as a whole number.")]})
    return value


def _answer(item: Any) -> Response:
    """The input as the caller now sees it (the request commits after the view)."""
    return jsonify(input_json(item, current_user._get_current_object()))


@bp.route("/review/queue")
@requires("review")
def review_queue() -> Response:
    """The caller's queue, oldest first; ``next`` is the cursor of the following page."""
    user = current_user._get_current_object()
    limit = query_int("limit", 50, minimum=1, maximum=PAGE_MAX)
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise validation_error({"kind": [one_of(KINDS)]})
    filters = {name: request.args.get(name) for name in QUEUE_FILTERS if request.args.get(name)}
    try:
        page = services.queue_page(
            user, filters, after=request.args.get("after") or None, limit=limit, kind=kind
        )
    except QueueFilterError as exc:
        name = exc.args[0] if exc.args else "filter"
        name = "after" if name == "cursor" else name
        raise validation_error({name: [_("This value is not one of your queue's.")]}) from None
    return jsonify(
        {
            "items": [input_summary_json(item, user) for item in page.items],
            "next": page.next_cursor,
            "counts": page.counts,
        }
    )


@bp.route("/inputs/<input_id>/claim", methods=["POST"])
@requires("review")
def claim_input(input_id: str) -> Response:
    """Claim the input (a colleague's claim is taken over with ``"take_over": true``)."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    body = optional_json_body()
    version = _version(body, required=False)
    take_over = body.get("take_over", False)
    if not isinstance(take_over, bool):
        raise validation_error({"take_over": [_("Give true or false.")]})
    if take_over:
        services.take_over(user, item, version=version)
    else:
        services.claim(user, item, version=version)
    return _answer(item)


@bp.route("/inputs/<input_id>/release", methods=["POST"])
@requires("review")
def release_input(input_id: str) -> Response:
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    version = _version(optional_json_body(), required=False)
    services.release(user, item, version=version)
    return _answer(item)


@bp.route("/inputs/<input_id>/review", methods=["PATCH"])
@requires("review")
def update_review(input_id: str) -> Response:
    """Corrections (priority, countries, type, themes) and redactions of the reviewed text."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    body = json_body()
    version = _version(body, required=True)
    fields: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    for api_name, name in (
        ("priority", "priority_slug"),
        ("type", "type_slug"),
        ("moderator_summary", "moderator_summary"),
        ("reviewed_title", "reviewed_title"),
        ("reviewed_body", "reviewed_body"),
    ):
        if api_name in body:
            changes[name] = optional_string(body, api_name, fields)
    for api_name, name in (
        ("countries", "country_codes"),
        ("themes", "theme_slugs"),
        ("passages", "passages"),
    ):
        if api_name in body:
            changes[name] = string_list(body, api_name, fields)
    if "recommendation_texts" in body:
        texts = string_list(body, "recommendation_texts", fields)
        if not fields and len(texts) != len(item.recommendations):
            fields["recommendation_texts"] = [
                ngettext(
                    "Give one text per recommendation (%(num)d), in order.",
                    "Give one text per recommendation (%(num)d), in order.",
                    len(item.recommendations),
                )
            ]
        changes["recommendation_texts"] = {
            rec.id: text for rec, text in zip(item.recommendations, texts, strict=False)
        }
    if fields:
        raise validation_error(fields)
    services.update_review(user, item, version=version, **changes)
    return _answer(item)


@bp.route("/inputs/<input_id>/decision", methods=["POST"])
@requires("review")
def decide_input(input_id: str) -> Response:
    """Forward, return (with a question) or decline (with a reason) the input."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    body = json_body()
    version = _version(body, required=True)
    fields: dict[str, list[str]] = {}
    action = body.get("action")
    if action not in services.DECISIONS:
        fields["action"] = [one_of(services.DECISIONS)]
    message = optional_string(body, "message", fields)
    reason = optional_string(body, "reason", fields)
    if fields:
        raise validation_error(fields)
    services.decide(user, item, action, message, version=version, reason=reason)
    return _answer(item)


@bp.route("/inputs/<input_id>/feedback", methods=["POST"])
@requires("record_hq_feedback")
def record_feedback(input_id: str) -> Response:
    """HQ says how a forwarded input was used; the CSO sees the note."""
    user = current_user._get_current_object()
    item = load_input(input_id, user)
    body = json_body()
    version = _version(body, required=False)
    fields: dict[str, list[str]] = {}
    note = optional_string(body, "note", fields)
    if fields:
        raise validation_error(fields)
    services.record_hq_feedback(user, item, note or "", version=version)
    return _answer(item)
