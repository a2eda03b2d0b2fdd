"""The submissions blueprint and what its pages share: the consultation, the organisation."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy import select

from consult.access import parse_uuid
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.reference.models import Priority

bp = Blueprint("submissions", __name__)


def load_consultation(consultation_id: str) -> Consultation:
    consultation = db.session.get(Consultation, parse_uuid(consultation_id))
    if consultation is None:
        abort(404)
    return consultation


def org_id() -> uuid.UUID:
    return current_user.organisation_id


def questions_by_priority(consultation: Consultation) -> list[tuple[Priority, list[str]]]:
    groups: dict[str, list[str]] = {}
    for question in consultation.questions:
        groups.setdefault(question.priority_slug, []).append(question.text)
    priorities = db.session.scalars(select(Priority).order_by(Priority.position))
    return [(p, groups[p.slug]) for p in priorities if p.slug in groups]
