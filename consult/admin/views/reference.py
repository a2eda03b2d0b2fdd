"""The editable reference lists."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from consult.access import requires
from consult.admin import forms, services
from consult.admin.views.common import (
    NotSaved,
    Rendered,
    acting_admin,
    bp,
    flash_saved,
    page_status,
    save_form,
)


@bp.route("/reference")
@requires("administer")
def reference_index() -> str:
    kinds = services.reference_kinds()
    counts = {name: len(services.reference_entries(kind)) for name, kind in kinds.items()}
    return render_template("admin/reference_index.html", kinds=kinds, counts=counts)


def _kind(kind_name: str) -> services.ReferenceKind:
    kind = services.reference_kinds().get(kind_name)
    if kind is None:
        abort(404)
    return kind


def _reference_page(
    kind_name: str,
    kind: services.ReferenceKind,
    names_form: FlaskForm,
    add_form: FlaskForm,
    loose: list[str],
) -> tuple[str, int]:
    entries = services.reference_entries(kind)
    return render_template(
        "admin/reference_kind.html",
        kind_name=kind_name,
        kind=kind,
        entries=entries,
        names_form=names_form,
        add_form=add_form,
        loose=loose,
    ), page_status(loose, names_form, add_form)


@bp.route("/reference/<kind_name>", methods=["GET", "POST"])
@requires("administer")
def reference_kind(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max)
    saved = save_form(
        names_form,
        lambda: services.rename_reference(
            acting_admin(),
            kind_name,
            kind,
            {e.slug: names_form[f"name__{e.slug}"].data for e in entries},
        ),
    )
    if not isinstance(saved, NotSaved):
        flash_saved(bool(saved), _("Renamed: %(slugs)s.", slugs=", ".join(saved)))
        return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    return _reference_page(
        kind_name, kind, names_form, forms.ReferenceAddForm(formdata=None), saved.loose
    )


@bp.route("/reference/<kind_name>/add", methods=["POST"])
@requires("administer")
def reference_add(kind_name: str) -> Rendered:
    kind = _kind(kind_name)
    add_form = forms.ReferenceAddForm()
    saved = save_form(
        add_form,
        lambda: services.add_reference(
            acting_admin(), kind_name, kind, add_form.slug.data, add_form.name.data
        ),
    )
    if not isinstance(saved, NotSaved):
        flash(_("Added %(name)s (%(slug)s).", name=saved.name, slug=saved.slug), "success")
        return redirect(url_for("admin.reference_kind", kind_name=kind_name))
    entries = services.reference_entries(kind)
    names_form = forms.reference_names_form(entries, kind.name_max, formdata=None)
    return _reference_page(kind_name, kind, names_form, add_form, saved.loose)
