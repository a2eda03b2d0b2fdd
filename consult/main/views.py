"""The home page sends each role to its own starting point."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from consult.access import public
from consult.auth.roles import Role
from consult.extensions import db

bp = Blueprint("main", __name__)

HOME_ENDPOINTS = {
    Role.CSO: "submissions.my_inputs",
    Role.MODERATOR: "review.queue",
    Role.HQ: "digest.index",
    Role.ADMIN: "admin.index",
}


@bp.route("/")
@public
def home() -> Response | str:
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return redirect(url_for(HOME_ENDPOINTS[Role(current_user.role)]))


@bp.route("/healthz")
@public
def health() -> tuple[dict, int]:
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200


# The switcher's route lives in its own module on this blueprint.
from consult.main import language  # noqa: E402, F401
