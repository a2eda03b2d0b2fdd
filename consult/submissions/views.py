"""Views of the submissions blueprint (placeholder pages until the domain is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from consult.access import requires

bp = Blueprint("submissions", __name__, url_prefix="" or None)


@bp.route("/consultations")
@requires("view_own_inputs")
def consultations() -> str:
    return render_template("placeholder.html", title="submissions consultations")


@bp.route("/my_inputs")
@requires("view_own_inputs")
def my_inputs() -> str:
    return render_template("placeholder.html", title="submissions my_inputs")
