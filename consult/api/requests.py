"""Reading what an API caller sent: JSON bodies, query parameters, cursors.

Anything malformed ends the request with a JSON error (``ApiError``), never a
stack trace or an HTML page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.inputs import paging

#: The most items one page of an API list holds (``?limit=``).
PAGE_MAX = 100


class ApiError(Exception):
    """Stop the request with ``{"error": {"code", "message", "fields"}}`` and ``status``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra

    def response(self) -> Response:
        error = {"code": self.code, "message": self.message, "fields": self.fields}
        error.update(self.extra)
        response = jsonify({"error": error})
        response.status_code = self.status
        return response


def one_of(values: Iterable[str]) -> str:
    """The message for a value outside a closed list: it names the valid values."""
    return _("Use one of: %(values)s.", values=", ".join(values))


def validation_error(fields: dict[str, list[str]], message: str | None = None) -> ApiError:
    return ApiError(
        400, "validation_failed", message or _("Some values are missing or not valid."), fields
    )


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 for another media type, 400 for bad JSON."""
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the body as JSON (Content-Type: application/json)."),
        )
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", _("The body must be a JSON object."))
    return data


def optional_json_body() -> dict[str, Any]:
    """Like :func:`json_body`, but a request with no body at all gives ``{}``."""
    if not request.content_length and not request.is_json:
        return {}
    return json_body()


def query_int(name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        raise validation_error(
            {
                name: [
                    _(
                        "Give a whole number from %(minimum)d to %(maximum)d.",
                        minimum=minimum,
                        maximum=maximum,
                    )
                ]
            }
        )
    return value


def decode_cursor(cursor: str, name: str = "after") -> tuple[datetime, uuid.UUID]:
    """The (timestamp, id) of a page cursor; 400 otherwise."""
    try:
        return paging.decode_cursor(cursor)
    except ValueError:
        raise validation_error(
            {name: [_("Use the 'next' value of the previous page as it was given.")]}
        ) from None


def string_list(data: dict[str, Any], name: str, fields: dict[str, list[str]]) -> list[str]:
    """A list of strings from a JSON body (a single string counts as a list of one)."""
    value = data.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    fields.setdefault(name, []).append(_("Give a list of slugs."))
    return []


def optional_string(data: dict[str, Any], name: str, fields: dict[str, list[str]]) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value
    fields.setdefault(name, []).append(_("Give a text value."))
    return None


def file_too_large(limit: int) -> ApiError:
    """413: a file over ``limit`` bytes (the message names the limit in MB)."""
    message = _("A file may be at most %(mb)d MB.", mb=limit // (1024 * 1024))
    return ApiError(413, "payload_too_large", message, {"file": [message]})
