"""Consultations: the list, creating and editing them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.access import parse_uuid, requires
from consult.admin import forms, services
from consult.admin.views.common import (
    NotSaved,
    Rendered,
    acting_admin,
    bp,
    flash_saved,
    form_page,
    save_form,
)
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.reference import services as reference


@bp.route("/consultations")
@requires("administer")
def consultations() -> str:
    items = list(db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc())))
    inputs = dict(
        db.session.execute(
            select(Input.consultation_id, func.count()).group_by(Input.consultation_id)
        ).all()
    )
    return render_template("admin/consultations.html", consultations=items, inputs=inputs)


def _consultation_data(form: forms.ConsultationBaseForm) -> services.ConsultationData:
    return services.ConsultationData(
        slug=form.slug.data or "",
        title=form.title.data or "",
        description=form.description.data or "",
        opens_at=form.opens_at.data,
        closes_at=form.closes_at.data,
        country_codes=list(form.countries.data or []),
        questions={
            priority.slug: (questions.data or "").splitlines()
            for priority, questions in form.question_fields
        },
        texts={
            locale: services.LanguageText(
                title=title.data or "",
                description=description.data or "",
                questions={p.slug: (q.data or "").splitlines() for p, q in questions},
            )
            for locale, (title, description, questions) in form.language_fields.items()
        },
    )


@bp.route("/consultations/new", methods=["GET", "POST"])
@requires("administer")
def consultation_new() -> Rendered:
    form = forms.consultation_form(reference.priorities())
    saved = save_form(
        form, lambda: services.create_consultation(acting_admin(), _consultation_data(form))
    )
    if not isinstance(saved, NotSaved):
        flash(_("Consultation %(title)s created.", title=saved.title), "success")
        return redirect(url_for("admin.consultations"))
    return form_page("admin/consultation_form.html", form, saved.loose, consultation=None)


@bp.route("/consultations/<consultation_id>", methods=["GET", "POST"])
@requires("administer")
def consultation_edit(consultation_id: str) -> Rendered:
    consultation = db.get_or_404(Consultation, parse_uuid(consultation_id))
    priorities = reference.priorities()
    data = None
    if request.method != "POST":
        grouped = services.questions_by_priority(consultation)
        data = {
            "slug": consultation.slug,
            "title": consultation.title,
            "description": consultation.description,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "countries": consultation.country_codes,
        }
        for priority in priorities:
            data[forms.question_field_name(priority.slug)] = "\n".join(
                grouped.get(priority.slug, [])
            )
        for locale, text in services.texts_for_form(consultation).items():
            data[f"text_{locale}__title"] = text.title
            data[f"text_{locale}__description"] = text.description
            for priority in priorities:
                data[forms.question_field_name(priority.slug, locale)] = "\n".join(
                    text.questions.get(priority.slug, [])
                )
    form = forms.consultation_form(priorities, data=data)
    saved = save_form(
        form,
        lambda: services.update_consultation(
            acting_admin(), consultation, _consultation_data(form)
        ),
    )
    if not isinstance(saved, NotSaved):
        flash_saved(bool(saved), _("Consultation %(title)s saved.", title=consultation.title))
        return redirect(url_for("admin.consultations"))
    return form_page("admin/consultation_form.html", form, saved.loose, consultation=consultation)
