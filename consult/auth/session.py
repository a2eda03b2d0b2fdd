"""Flask-Login wiring: sessions name a user *and* a session generation.

Logging out, changing a password or being deactivated bumps the user's
``session_generation``; a cookie that carries an older generation no longer
loads a user, so a captured cookie is useless after logout.

Sessions live on the server (:mod:`consult.auth.session_store`); the cookie
holds only a random id.

- ending sessions: the generation check above, on every request;
- a new session at login: the old entry is deleted, the session gets a new
  id (so the cookie value changes completely) and is emptied;
- timeouts: each session records (server-side) when it started and when it
  was last used; :func:`enforce_session_limits` signs out a session idle for
  longer than ``STAFF_IDLE_MINUTES`` / ``CSO_IDLE_MINUTES`` or older than
  ``SESSION_ABSOLUTE_HOURS``;
- re-authentication: it also records when both factors were last given
  (:data:`AUTHENTICATED`), which :mod:`consult.auth.reauth` checks.

Between the password and the second factor, the session holds only a
"pending" marker (:func:`set_pending`): the person is not signed in and can
open nothing but the two-factor pages.
"""

from __future__ import annotations

import calendar
import secrets
import uuid
from typing import Any

from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from consult.extensions import db, login_manager
from consult.timeutil import utcnow

#: Session keys.
STARTED = "consult_started"
SEEN = "consult_seen"
SESSION_ID = "consult_sid"
PENDING = "consult_pending"
AUTHENTICATED = "consult_authenticated"
ENROL_SECRET = "consult_enrol_secret"  # noqa: S105 - a session key, not a secret

#: How long the step between password and code may take.
PENDING_SECONDS = 10 * 60
#: "Last seen" is written at most this often (fewer cookie rewrites).
SEEN_RESOLUTION_SECONDS = 30

#: Endpoints staff who still have to enrol their second factor may reach.
ENROLMENT_ENDPOINTS = frozenset({"auth.two_factor_setup", "auth.logout", "static"})


def init_login_manager(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(enforce_session_limits)


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

        return json_error(401, "unauthorized", _("A valid bearer token is required."))
    halfway = pending_user()
    if halfway is not None:
        # Password given, second factor not yet: back to that step, nowhere else.
        from consult.auth.totp import must_enrol

        if must_enrol(halfway):
            return redirect(url_for("auth.two_factor_setup"))
        return redirect(url_for("auth.two_factor"))
    flash(_("Please sign in to continue."), "info")
    return redirect(
        url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    )


def end_all_sessions(user) -> None:  # noqa: ANN001
    """Make every existing session of ``user`` invalid (the caller commits)."""
    user.session_generation = (user.session_generation or 0) + 1


def now_ts() -> int:
    """Seconds since the epoch, from :func:`consult.timeutil.utcnow` (so tests can freeze it)."""
    return calendar.timegm(utcnow().utctimetuple())


def fresh_session_values(now: int | None = None) -> dict[str, Any]:
    """What a new session carries besides Flask-Login's keys."""
    now = now_ts() if now is None else now
    return {STARTED: now, SEEN: now, AUTHENTICATED: now, SESSION_ID: secrets.token_urlsafe(16)}


def begin_session(user) -> None:  # noqa: ANN001
    """Sign ``user`` in on a brand-new session (both factors done)."""
    from consult.auth.session_store import renew_session_id

    renew_session_id()
    session.clear()
    login_user(user)
    session.update(fresh_session_values())


def end_this_session() -> None:
    """Sign out here: the server forgets this session and the browser gets a new id."""
    from consult.auth.session_store import renew_session_id

    logout_user()
    session.clear()
    renew_session_id()
    session.clear()


def set_pending(user, next_path: str | None) -> None:  # noqa: ANN001
    """Remember that ``user`` gave the right password and must now give a code."""
    from consult.auth.session_store import renew_session_id

    renew_session_id()
    session.clear()
    session[PENDING] = {"user": user.get_id(), "at": now_ts(), "next": next_path}


def pending_user():  # noqa: ANN201
    """The user halfway through signing in (password right, code still to come), or None."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if now_ts() - int(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return load_user_from_session(str(pending.get("user", "")))


def pending_next() -> str | None:
    pending = session.get(PENDING)
    return pending.get("next") if isinstance(pending, dict) else None


def clear_pending() -> None:
    session.pop(PENDING, None)
    session.pop(ENROL_SECRET, None)


def _idle_limit_seconds(user) -> int:  # noqa: ANN001
    from flask import current_app

    from consult.auth.roles import EU_STAFF

    key = "STAFF_IDLE_MINUTES" if user.role in EU_STAFF else "CSO_IDLE_MINUTES"
    return int(current_app.config[key]) * 60


def enforce_session_limits() -> Response | None:
    """Before each request: idle and absolute timeouts, and enrolment for staff.

    The API authenticates with bearer tokens and never reads the cookie, so
    it is left alone here.
    """
    from flask import current_app

    if request.endpoint == "static" or request.path.startswith("/api/"):
        return None
    if "_user_id" not in session:
        return None
    if not current_user.is_authenticated:
        # An ended session (old generation, deactivated user): views that
        # need a user redirect to the login page.
        return None
    now = now_ts()
    started = session.get(STARTED)
    seen = session.get(SEEN)
    absolute = int(current_app.config["SESSION_ABSOLUTE_HOURS"]) * 3600
    if (
        not isinstance(started, int)
        or not isinstance(seen, int)
        or now - seen > _idle_limit_seconds(current_user)
        or now - started > absolute
    ):
        end_this_session()
        flash(_("Your session expired. Please sign in again."), "info")
        view = current_app.view_functions.get(request.endpoint or "")
        if request.method == "POST" and getattr(view, "keeps_text_when_signed_out", False):
            # A long form (the input form): the view re-renders what was posted
            # and asks to sign in again, so nothing typed is lost.
            return None
        return redirect(
            url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        )
    if now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN] = now
    from consult.auth.totp import must_enrol

    if must_enrol(current_user) and request.endpoint not in ENROLMENT_ENDPOINTS:
        return redirect(url_for("auth.two_factor_setup"))
    return None
