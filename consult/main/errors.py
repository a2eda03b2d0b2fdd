"""Error pages in the site's layout, and JSON errors for the API."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from consult.extensions import db, login_manager
from consult.i18n import N_

ERROR_TEXT = {
    400: (N_("Bad request"), N_("The request could not be understood. Go back and try again.")),
    401: (N_("Sign in needed"), N_("Please sign in to continue.")),
    403: (N_("Not allowed"), N_("Your account may not do this.")),
    404: (N_("Page not found"), N_("There is nothing here, or you may not see it.")),
    405: (N_("Not allowed"), N_("This page does not accept that kind of request.")),
    413: (N_("Too large"), N_("What you sent is larger than allowed. Send smaller files.")),
    429: (
        N_("Too many attempts"),
        N_("Too many requests in a short time. Wait a minute and try again."),
    ),
    500: (N_("Something went wrong"), N_("The error is logged. Try again in a moment.")),
    503: (
        N_("Temporarily unavailable"),
        N_("The service cannot reach its database. Nothing was saved; try again in a minute."),
    ),
}

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(
    status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    response.status_code = status
    return response


def _render(status: int, message: str | None = None) -> tuple[str, int] | Response:
    title, default_text = ERROR_TEXT.get(status, ERROR_TEXT[500])
    if wants_json():
        return json_error(status, ERROR_CODES.get(status, "error"), message or _(default_text))
    return (
        render_template(
            "errors/error.html", status=status, title=_(title), message=message or _(default_text)
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):  # noqa: ANN202
        status = exc.code or 500
        message = None
        if status == 400 and exc.description and not exc.description.startswith("The browser"):
            message = exc.description
        return _render(status, message)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):  # noqa: ANN202
        # Forms that hold long texts handle this themselves and keep the text;
        # elsewhere, say what happened and what to do.
        return _render(400, _("The form expired. Go back, reload the page and send it again."))

    @app.errorhandler(OperationalError)
    def _db_down(exc: OperationalError):  # noqa: ANN202
        db.session.rollback()
        app.logger.error("database unavailable: %s", exc.__class__.__name__)
        # The page must not need the database (loading the signed-in user, their
        # language): render it as for a visitor, or it fails again and says 500.
        g._login_user = login_manager.anonymous_user()
        return _render(503)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # noqa: ANN202
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.endpoint)
        return _render(500)
