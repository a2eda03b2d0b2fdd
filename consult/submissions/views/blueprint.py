"""The submissions blueprint and what its pages share: the consultation, the organisation."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort
from flask_login import current_user

from consult.access import parse_uuid
from consult.extensions import db
from consult.inputs.models import Consultation

bp = Blueprint("submissions", __name__)


def load_consultation(consultation_id: str) -> Consultation:
    consultation = db.session.get(Consultation, parse_uuid(consultation_id))
    if consultation is None:
        abort(404)
    return consultation


def org_id() -> uuid.UUID:
    return current_user.organisation_id
