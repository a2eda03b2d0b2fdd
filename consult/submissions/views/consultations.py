"""The consultations a CSO member can answer, and one consultation with its drafts."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from consult.access import requires
from consult.extensions import db
from consult.i18n import current_locale
from consult.inputs.consultation_texts import local_text
from consult.inputs.models import Consultation, Input
from consult.inputs.states import Status
from consult.submissions import services
from consult.submissions.views.blueprint import (
    bp,
    load_consultation,
    org_id,
)
from consult.timeutil import utcnow


@bp.route("/consultations")
@requires("view_own_inputs")
def consultations() -> str:
    now = utcnow()
    rows = list(db.session.scalars(select(Consultation).order_by(Consultation.closes_at)))
    open_ = [c for c in rows if c.is_open_at(now)]
    closed = sorted(
        (c for c in rows if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True
    )
    upcoming = [c for c in rows if c.opens_at > now]
    return render_template(
        "submissions/consultations.html", open_=open_, closed=closed[:10], upcoming=upcoming
    )


@bp.route("/consultations/<consultation_id>")
@requires("view_own_inputs")
def consultation(consultation_id: str) -> str:
    item = load_consultation(consultation_id)
    drafts = list(
        db.session.scalars(
            select(Input)
            .where(
                Input.consultation_id == item.id,
                Input.organisation_id == org_id(),
                Input.status == Status.DRAFT,
            )
            .order_by(Input.updated_at.desc())
        )
    )
    return render_template(
        "submissions/consultation.html",
        consultation=item,
        questions=local_text(item, current_locale()).questions,
        drafts=drafts,
        now=utcnow(),
        unverified_message=services.unverified_message(),
    )
