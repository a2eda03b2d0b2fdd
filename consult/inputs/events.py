"""The timeline of an input: every submission, claim, correction and decision.

:func:`add_event` is the one way an event is added; the CSO's and the
reviewers' timelines (``submissions.timeline``, ``review.timeline``) call it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import utcnow

if TYPE_CHECKING:
    from consult.auth.models import User
    from consult.inputs.models import Input


class EventKind(StrEnum):
    CREATED = "created"
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    WITHDRAWN = "withdrawn"
    CLAIMED = "claimed"
    RELEASED = "released"
    TAKEN_OVER = "taken_over"
    CORRECTED = "corrected"
    REDACTED = "redacted"
    MERGED = "merged"
    FORWARDED = "forwarded"
    RETURNED = "returned"
    DECLINED = "declined"
    USED = "used"
    FILE_REMOVED = "file_removed"


class ReviewEvent(db.Model):
    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    input_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    # The words meant for the CSO (a return question, a decline reason, HQ's
    # note on use) or, when not visible to the CSO, for EU staff.
    message: Mapped[str | None] = mapped_column(Text)
    is_visible_to_cso: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    input: Mapped[Input] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


def add_event(
    item: Input,
    actor: Any,
    kind: EventKind,
    *,
    message: str | None = None,
    visible: bool = False,
    versioned: bool = True,
    **data: Any,
) -> ReviewEvent:
    """Add a ``kind`` event by ``actor`` to ``item``'s timeline (``visible``: the CSO sees it).

    A ``versioned`` event stores the version the change started from: a form
    loaded at that version (or earlier) has not seen the change, so a
    conflict lists it. CSO actions are not versioned.
    """
    event = ReviewEvent(
        actor_id=actor.id,
        kind=kind.value,
        message=message,
        is_visible_to_cso=visible,
        data={"version": item.version, **data} if versioned else (data or None),
        created_at=utcnow(),
    )
    item.events.append(event)
    db.session.add(event)
    return event
