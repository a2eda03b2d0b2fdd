"""What arrived in a queue since its reader last looked.

Each EU staff member's last look at each of their queues is kept (one row per
person and queue). The queue marks what arrived after it as new, says how many,
and the navigation counts it; looking at the queue again resets the count.
An input arrives in the review queues when it is submitted (or resubmitted)
and in HQ's forwarded list when it is forwarded.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import g
from sqlalchemy import DateTime, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import FORWARDED_STATUSES, OPEN_FOR_REVIEW
from consult.review.queue import queue_condition
from consult.review.queue_counts import counts_per_status
from consult.timeutil import utcnow


class QueueVisit(db.Model):
    """When one person last looked at one of their queues."""

    __tablename__ = "queue_visits"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime)


def arrival(kind: str) -> Any:
    """The column that says when an input arrived in a queue of ``kind``."""
    return Input.forwarded_at if kind == "forwarded" else Input.submitted_at


def arrived(item: Input, kind: str) -> datetime | None:
    return item.forwarded_at if kind == "forwarded" else item.submitted_at


def _visit(user: Any, kind: str) -> QueueVisit | None:
    """The row of ``user``'s last look at ``kind``, read once per request.

    The queue page and the navigation both ask; ``g`` holds the row so the
    session's weakly held copy is not read again.
    """
    visits = g.setdefault("queue_visits", {})
    key = (user.id, kind)
    if key not in visits:
        visits[key] = db.session.get(QueueVisit, key)
    return visits[key]


def last_visit(user: Any, kind: str) -> datetime | None:
    visit = _visit(user, kind)
    return visit.seen_at if visit is not None else None


def mark_visited(user: Any, kind: str) -> None:
    """Now is ``user``'s last look at queue ``kind`` (the view commits)."""
    visit = _visit(user, kind)
    if visit is None:
        visit = QueueVisit(user_id=user.id, kind=kind, seen_at=utcnow())
        db.session.add(visit)
        g.queue_visits[(user.id, kind)] = visit
    else:
        visit.seen_at = utcnow()


def count_new(user: Any, kind: str, since: datetime | None) -> int:
    """Inputs waiting in ``kind`` (open ones, for the review queues) that arrived after ``since``.

    Never looked at: everything waiting is new, read from the queue's counters
    (constant time). Otherwise the inputs arrived since are read through the
    queue's index from ``since`` on, so the cost follows what is new, not the queue.
    """
    counted = g.setdefault("queue_new_counts", {})
    key = (user.id, kind, since)
    if key not in counted:  # the page and the navigation ask the same question
        counted[key] = _count_new(user, kind, since)
    return counted[key]


def _count_new(user: Any, kind: str, since: datetime | None) -> int:
    if since is None:
        counts = counts_per_status(user, kind)
        waiting = FORWARDED_STATUSES if kind == "forwarded" else OPEN_FOR_REVIEW
        return sum(counts.get(s.value, 0) for s in waiting)
    conditions = [queue_condition(user, kind)]
    if kind != "forwarded":
        conditions.append(Input.status.in_([s.value for s in OPEN_FOR_REVIEW]))
    conditions.append(arrival(kind) > since)
    return db.session.scalar(select(func.count()).select_from(Input).where(*conditions)) or 0


def is_new(item: Input, kind: str, since: datetime | None) -> bool:
    when = arrived(item, kind)
    return since is None or (when is not None and when > since)
