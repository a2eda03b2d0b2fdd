"""What waits for a CSO member: the inputs a moderator returned with a question.

Shown first on "Our inputs" and counted in the navigation, so that a question
from a moderator is not one grey badge among many.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import Status


def _returned(organisation_id: uuid.UUID) -> Any:
    return select(Input).where(
        Input.organisation_id == organisation_id, Input.status == Status.RETURNED
    )


def needs_answer(organisation_id: uuid.UUID | None) -> list[tuple[Input, str | None]]:
    """The organisation's returned inputs, oldest question first, each with the question."""
    if organisation_id is None:
        return []
    items = db.session.scalars(_returned(organisation_id).order_by(Input.decided_at.asc()))
    answer = []
    for item in items:
        asked = [e for e in item.events if e.kind == EventKind.RETURNED and e.is_visible_to_cso]
        answer.append((item, asked[-1].message if asked else None))
    return answer


def needs_answer_count(organisation_id: uuid.UUID | None) -> int:
    if organisation_id is None:
        return 0
    query = _returned(organisation_id).with_only_columns(func.count())
    return db.session.scalar(query) or 0
