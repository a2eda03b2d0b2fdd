"""Views of the admin blueprint (placeholder pages until the domain is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from consult.access import requires

bp = Blueprint("admin", __name__, url_prefix="/admin" or None)


@bp.route("/index")
@requires("administer")
def index() -> str:
    return render_template("placeholder.html", title="admin index")
