"""A CSO organisation admin's own data: export it, or ask for its erasure."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from consult.access import requires
from consult.auth.models import User
from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.maintenance.retention import cancel_erasure, request_erasure
from consult.organisations.export import export_filename, export_organisation
from consult.organisations.models import Organisation
from consult.organisations.reports import (
    REPORT_FORMATS,
    load_participant_release,
    participant_report,
    reports_of,
)

bp = Blueprint("organisation", __name__, url_prefix="/organisation")


def _own_organisation() -> Organisation:
    """The signed-in org admin's organisation; 404 for any other member."""
    if not current_user.is_org_admin or current_user.organisation_id is None:
        abort(404)
    org = db.session.get(Organisation, current_user.organisation_id)
    if org is None:
        abort(404)
    return org


def _count(model: type, org: Organisation) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(model).where(model.organisation_id == org.id)
        )
        or 0
    )


@bp.route("/data")
@requires("manage_organisation_data")
def data() -> str:
    org = _own_organisation()
    return render_template(
        "organisation/data.html",
        org=org,
        inputs=_count(Input, org),
        attachments=_count(Attachment, org),
        members=_count(User, org),
    )


@bp.route("/data/export", methods=["POST"])
@requires("manage_organisation_data")
def export() -> Response:
    org = _own_organisation()
    archive = export_organisation(current_user, org)
    db.session.commit()
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=export_filename(),
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/data/erasure", methods=["POST"])
@requires("manage_organisation_data")
def erasure() -> Response | tuple[str, int]:
    org = _own_organisation()
    if request.form.get("action") == "cancel":
        if cancel_erasure(current_user, org):
            db.session.commit()
            flash(_("Your request for erasure is withdrawn."), "success")
        return redirect(url_for("organisation.data"))
    if request.form.get("confirm") != "yes":
        error = _("Tick the box to confirm that you want all of your organisation's data erased.")
        page = render_template(
            "organisation/data.html",
            org=org,
            inputs=_count(Input, org),
            attachments=_count(Attachment, org),
            members=_count(User, org),
            confirm_error=error,
        )
        return page, 400
    if request_erasure(current_user, org):
        db.session.commit()
    flash(
        _(
            "Your request for erasure is recorded. An administrator will carry it out; "
            "until then you can still export your data or withdraw the request."
        ),
        "success",
    )
    return redirect(url_for("organisation.data"))


@bp.route("/reports")
@requires("view_own_inputs")
def reports() -> str:
    """The published reports of the consultations the organisation took part in."""
    if current_user.organisation_id is None:
        abort(404)
    return render_template(
        "organisation/reports.html",
        entries=reports_of(current_user.organisation_id),
        formats=REPORT_FORMATS,
    )


@bp.route("/reports/<release_id>/<fmt>")
@requires("view_own_inputs")
def report_download(release_id: str, fmt: str) -> Response:
    if fmt not in REPORT_FORMATS:
        abort(404)
    release = load_participant_release(current_user, release_id)
    report = participant_report(current_user, release, fmt, request.args.get("lang"))
    db.session.commit()
    response = Response(report.data, content_type=report.mimetype)
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{report.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
