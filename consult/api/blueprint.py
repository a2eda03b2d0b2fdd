"""The ``/api/v1`` blueprint: bearer tokens only, no cookies, no CSRF, JSON errors.

A request is authenticated by its ``Authorization: Bearer <token>`` header and
nothing else: a browser's session cookie is neither read nor written here, so a
signed-in page cannot be turned into an API call by another site (which is why
the blueprint needs no CSRF token).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Flask, current_app, g, request
from flask.sessions import SessionInterface, SessionMixin
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from consult.api import tokens
from consult.extensions import csrf, db, limiter, login_manager
from consult.main.errors import json_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

#: Endpoints that answer without a token (the description of the API itself).
ANONYMOUS_ENDPOINTS = frozenset({"api.openapi"})


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def rate_limit_key() -> str:
    """Count requests per token (hashed), or per address when there is none."""
    raw = bearer_token()
    if raw:
        return "api-token:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return "api-anon:" + (get_remote_address() or "")


limiter.limit(_rate_limit, key_func=rate_limit_key)(bp)


class NoSessionForApi(SessionInterface):
    """The app's session interface, except that ``/api/`` requests get no session.

    A cookie sent to the API is not even read, and no cookie is ever set.
    """

    def __init__(self, inner: SessionInterface, prefix: str) -> None:
        self.inner = inner
        self.prefix = prefix

    def open_session(self, app: Flask, request: Any) -> SessionMixin | None:
        if request.path.startswith(self.prefix):
            return self.make_null_session(app)
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        self.inner.save_session(app, session, response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@bp.record_once
def _install_session_interface(state: Any) -> None:
    app = state.app
    app.session_interface = NoSessionForApi(app.session_interface, "/api/")


@bp.before_request
def _authenticate() -> Response | None:
    # The session is a null one here (NoSessionForApi): only the token counts.
    g._login_user = login_manager.anonymous_user()
    if request.endpoint in ANONYMOUS_ENDPOINTS:
        return None
    raw = bearer_token()
    if raw is None:
        return _unauthorized(_("Send a personal access token as 'Authorization: Bearer <token>'."))
    token = tokens.authenticate(raw)
    if token is None:
        db.session.rollback()
        return _unauthorized(_("The token is unknown, expired or revoked."))
    if db.session.dirty:
        db.session.commit()  # last_used_at
    g._login_user = token.user
    g.api_token = token
    return None


def _unauthorized(message: str) -> Response:
    response = json_error(401, "unauthorized", message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="consult"'
    return response
