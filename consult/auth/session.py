"""Flask-Login wiring: sessions name a user *and* a session generation.

Logging out, changing a password or being deactivated bumps the user's
``session_generation``; a cookie that carries an older generation no longer
loads a user, so a captured cookie is useless after logout.
"""

from __future__ import annotations

import uuid

from flask import Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.extensions import db, login_manager


def init_login_manager(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session)
    login_manager.unauthorized_handler(_unauthorized)


def load_user_from_session(session_id: str):  # noqa: ANN201
    from consult.auth.models import User

    try:
        raw_id, generation = session_id.split(":", 1)
        user = db.session.get(User, uuid.UUID(raw_id))
        wanted = int(generation)
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or user.session_generation != wanted:
        return None
    return user


def _unauthorized() -> Response:
    if request.blueprint == "api" or request.path.startswith("/api/"):
        from consult.main.errors import json_error

        return json_error(401, "unauthorized", "A valid bearer token is required.")
    flash(_("Please sign in to continue."), "info")
    return redirect(
        url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    )


def end_all_sessions(user) -> None:  # noqa: ANN001
    """Make every existing session of ``user`` invalid (the caller commits)."""
    user.session_generation = (user.session_generation or 0) + 1
