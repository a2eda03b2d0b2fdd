"""The list of the organisation's inputs, filtered by consultation and status."""

from __future__ import annotations

import uuid

from flask import render_template, request
from sqlalchemy import select

from consult.access import requires
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.inputs.states import Status
from consult.submissions import services
from consult.submissions.attention import needs_answer
from consult.submissions.views.blueprint import bp, org_id


@bp.route("/my_inputs")
@requires("view_own_inputs")
def my_inputs() -> str:
    query = select(Input).where(Input.organisation_id == org_id())
    consultation_filter = request.args.get("consultation") or ""
    status_filter = request.args.get("status") or ""
    if consultation_filter:
        try:
            query = query.where(Input.consultation_id == uuid.UUID(consultation_filter))
        except ValueError:
            consultation_filter = ""
    if status_filter in {s.value for s in Status}:
        query = query.where(Input.status == status_filter)
    else:
        status_filter = ""
    items = list(db.session.scalars(query.order_by(Input.updated_at.desc()).limit(500)))
    consultation_choices = list(
        db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc()))
    )
    return render_template(
        "submissions/my_inputs.html",
        items=items,
        waiting=needs_answer(org_id()),
        consultation_choices=consultation_choices,
        consultation_filter=consultation_filter,
        status_filter=status_filter,
        statuses=list(Status),
        routing=services.routing_sentence,
    )
