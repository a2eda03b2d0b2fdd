"""The administration index."""

from __future__ import annotations

from flask import render_template

from consult.access import requires
from consult.admin import services
from consult.admin.views.common import bp


@bp.route("/")
@requires("administer")
def index() -> str:
    return render_template("admin/index.html", counts=services.dashboard_counts())
