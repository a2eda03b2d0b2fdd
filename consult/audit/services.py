"""Recording audit events."""

from __future__ import annotations

from typing import Any

from consult.audit.models import AuditEvent
from consult.extensions import db


def record(
    action: str,
    actor: Any = None,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the session (the request commits it).

    ``actor`` is a User or None (anonymous or system); ``obj`` any model with
    an ``id``. ``detail`` must never hold an input's text or an IP address.
    """
    if obj is not None:
        object_type = object_type or obj.__class__.__tablename__
        object_id = object_id or str(obj.id)
    actor_id = (
        getattr(actor, "id", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    event = AuditEvent(
        actor_id=actor_id,
        actor_role=getattr(actor, "role", None) if actor_id else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or None,
    )
    db.session.add(event)
    return event
