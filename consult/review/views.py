"""Views of the review blueprint (placeholder pages until the domain is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from consult.access import requires

bp = Blueprint("review", __name__, url_prefix="/review" or None)


@bp.route("/queue")
@requires("review")
def queue() -> str:
    return render_template("placeholder.html", title="review queue")


@bp.route("/forwarded")
@requires("review")
def forwarded() -> str:
    return render_template("placeholder.html", title="review forwarded")
