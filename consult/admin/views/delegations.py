"""Delegations and the countries each covers."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from consult.access import requires
from consult.admin import forms, services
from consult.admin.views.common import (
    NotSaved,
    Rendered,
    acting_admin,
    bp,
    count_by,
    flash_saved,
    form_page,
    save_form,
)
from consult.auth.models import User
from consult.extensions import db
from consult.reference import services as reference
from consult.reference.models import Delegation


@bp.route("/delegations", methods=["GET", "POST"])
@requires("administer")
def delegations() -> Rendered:
    countries = reference.countries()
    form = forms.coverage_form(countries)
    saved = save_form(
        form,
        lambda: services.set_coverage(
            acting_admin(), {c.code: form[f"country__{c.code}"].data or None for c in countries}
        ),
    )
    if not isinstance(saved, NotSaved):
        flash_saved(
            bool(saved),
            _("Coverage saved for %(codes)s. New inputs follow it.", codes=", ".join(saved)),
        )
        return redirect(url_for("admin.delegations"))
    return form_page(
        "admin/delegations.html",
        form,
        saved.loose,
        delegations=reference.delegations(),
        moderators=count_by(User.delegation_slug),
    )


@bp.route("/delegations/new", methods=["GET", "POST"])
@requires("administer")
def delegation_new() -> Rendered:
    form = forms.DelegationForm()
    saved = save_form(
        form,
        lambda: services.create_delegation(
            acting_admin(), form.slug.data, form.name.data, form.countries.data or []
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Delegation %(name)s created.", name=saved.name), "success")
        return redirect(url_for("admin.delegations"))
    return form_page("admin/delegation_form.html", form, saved.loose, delegation=None)


@bp.route("/delegations/<slug>", methods=["GET", "POST"])
@requires("administer")
def delegation_edit(slug: str) -> Rendered:
    delegation = db.get_or_404(Delegation, slug)
    data = None
    if request.method != "POST":
        data = {"name": delegation.name_en, "countries": delegation.country_codes}
    form = forms.DelegationForm(editing=True, data=data)
    saved = save_form(
        form,
        lambda: services.update_delegation(
            acting_admin(), delegation, form.name.data, form.countries.data or []
        ),
    )
    if not isinstance(saved, NotSaved):
        flash_saved(bool(saved), _("Delegation %(name)s saved.", name=delegation.name))
        return redirect(url_for("admin.delegations"))
    return form_page("admin/delegation_form.html", form, saved.loose, delegation=delegation)
