"""Organisations: the list, creating, editing and verifying them."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from consult.access import parse_uuid, requires
from consult.admin import forms, services
from consult.admin.views.common import (
    NotSaved,
    Rendered,
    acting_admin,
    bp,
    confirm_or_400,
    count_by,
    flash_saved,
    form_page,
    save_form,
)
from consult.auth.models import User
from consult.extensions import db
from consult.organisations.models import Organisation


@bp.route("/organisations")
@requires("administer")
def organisations() -> str:
    state = request.args.get("verified", "")
    stmt = (
        select(Organisation)
        .options(selectinload(Organisation.countries))
        .order_by(Organisation.name)
    )
    if state == "yes":
        stmt = stmt.where(Organisation.is_verified.is_(True))
    elif state == "no":
        stmt = stmt.where(Organisation.is_verified.is_(False))
    orgs = list(db.session.scalars(stmt))
    members = count_by(User.organisation_id)
    return render_template(
        "admin/organisations.html",
        organisations=orgs,
        members=members,
        state=state,
        form=forms.ConfirmForm(),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("administer")
def organisation_new() -> Rendered:
    form = forms.OrganisationForm()
    saved = save_form(
        form,
        lambda: services.create_organisation(
            acting_admin(),
            form.name.data,
            form.countries.data or [],
            form.contact_email.data,
            form.verified.data,
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Organisation %(name)s created.", name=saved.name), "success")
        return redirect(url_for("admin.organisations"))
    return form_page("admin/organisation_form.html", form, saved.loose, org=None)


def _load_organisation(org_id: str) -> Organisation:
    return db.get_or_404(Organisation, parse_uuid(org_id))


@bp.route("/organisations/<org_id>", methods=["GET", "POST"])
@requires("administer")
def organisation_edit(org_id: str) -> Rendered:
    org = _load_organisation(org_id)
    form = forms.OrganisationForm(
        data=None if request.method == "POST" else _org_data(org),
    )
    del form.verified
    saved = save_form(
        form,
        lambda: services.update_organisation(
            acting_admin(), org, form.name.data, form.countries.data or [], form.contact_email.data
        ),
    )
    if not isinstance(saved, NotSaved):
        flash_saved(bool(saved), _("Organisation %(name)s saved.", name=org.name))
        return redirect(url_for("admin.organisations"))
    return form_page(
        "admin/organisation_form.html", form, saved.loose, org=org, confirm=forms.ConfirmForm()
    )


def _org_data(org: Organisation) -> dict[str, Any]:
    return {"name": org.name, "countries": org.country_codes, "contact_email": org.contact_email}


@bp.route("/organisations/<org_id>/verify", methods=["POST"])
@requires("administer")
def organisation_verify(org_id: str) -> Response:
    org = _load_organisation(org_id)
    confirm_or_400()
    verified = request.form.get("verified") == "1"
    if services.set_organisation_verified(acting_admin(), org, verified):
        if verified:
            flash(
                _("%(name)s is verified: its members may submit inputs.", name=org.name), "success"
            )
        else:
            flash(
                _("%(name)s is no longer verified: its members cannot submit.", name=org.name),
                "success",
            )
    if request.form.get("back") == "edit":
        return redirect(url_for("admin.organisation_edit", org_id=org.id))
    return redirect(url_for("admin.organisations"))
