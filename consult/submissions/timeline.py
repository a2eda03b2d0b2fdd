"""The events a CSO action adds to the input's timeline (visible to the organisation)."""

from __future__ import annotations

from typing import Any

from consult.inputs.events import EventKind, ReviewEvent, add_event
from consult.inputs.models import Input


def record_event(item: Input, user: Any, kind: EventKind, **data: Any) -> ReviewEvent:
    return add_event(item, user, kind, visible=True, versioned=False, **data)
