"""The events a CSO action adds to the input's timeline (visible to the organisation)."""

from __future__ import annotations

from typing import Any

from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import Input


def record_event(item: Input, user: Any, kind: EventKind, **data: Any) -> ReviewEvent:
    event = ReviewEvent(
        input=item,
        actor_id=user.id,
        kind=kind.value,
        is_visible_to_cso=True,
        data=data or None,
    )
    db.session.add(event)
    return event
