"""Views of the digest blueprint (placeholder pages until the domain is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from consult.access import requires

bp = Blueprint("digest", __name__, url_prefix="/digest" or None)


@bp.route("/index")
@requires("download_digest")
def index() -> str:
    return render_template("placeholder.html", title="digest index")
