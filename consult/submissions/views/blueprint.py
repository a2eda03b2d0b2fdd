"""The submissions blueprint and what its pages share: the consultation, the organisation."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import parse_uuid
from consult.actions import run_actions
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.submissions.attention import needs_answer_count

bp = Blueprint("submissions", __name__)


def _to_my_inputs(error: DomainError) -> Response:
    """A refusal no view answered its own way: said on the organisation's list of inputs."""
    flash(error.message, "error")
    return redirect(url_for("submissions.my_inputs"))


run_actions(bp, _to_my_inputs)


def load_consultation(consultation_id: str) -> Consultation:
    consultation = db.session.get(Consultation, parse_uuid(consultation_id))
    if consultation is None:
        abort(404)
    return consultation


def org_id() -> uuid.UUID:
    return current_user.organisation_id


@bp.app_context_processor
def _attention() -> dict[str, Any]:
    """``needs_answer_count()`` for the navigation (counted only where a page asks)."""

    def count() -> int:
        if not current_user.is_authenticated:
            return 0
        return needs_answer_count(current_user.organisation_id)

    return {"needs_answer_count": count}
