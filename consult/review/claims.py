"""Claiming an input to work on it, releasing it, taking over a colleague's claim."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.audit.services import record
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.inputs.transitions import transition
from consult.review.conflicts import check_version, save_input
from consult.review.rules import (
    ReviewError,
    require_not_held_by_other,
    require_open,
    require_reviewer,
)
from consult.review.timeline import record_event
from consult.timeutil import utcnow


def claim(user: Any, item: Input, *, version: int | None = None) -> None:
    """Take the input to work on it; colleagues see who holds it."""
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    if item.claimed_by_id == user.id:
        return
    require_not_held_by_other(user, item)
    transition(item, Status.IN_REVIEW, user, EventKind.CLAIMED)
    item.claimed_by_id = user.id
    item.claimed_at = utcnow()
    save_input(item)
    record("input.claimed", user, item)


def release(user: Any, item: Input, *, version: int | None = None) -> None:
    """Give back an unfinished claim (only its holder may)."""
    require_reviewer(user, item)
    check_version(item, version)
    if item.claimed_by_id != user.id:
        raise ReviewError(_("You do not hold this input."))
    record_event(item, user, EventKind.RELEASED)
    item.claimed_by_id = None
    item.claimed_at = None
    save_input(item)
    record("input.released", user, item)


def take_over(user: Any, item: Input, *, version: int | None = None) -> None:
    """Take a colleague's unfinished claim (same delegation, or HQ for HQ-routed)."""
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    if item.claimed_by_id is None:
        claim(user, item)
        return
    if item.claimed_by_id == user.id:
        return
    previous = item.claimed_by_id
    transition(item, Status.IN_REVIEW, user, EventKind.TAKEN_OVER, previous_holder=str(previous))
    item.claimed_by_id = user.id
    item.claimed_at = utcnow()
    save_input(item)
    record("input.taken_over", user, item, previous_holder=str(previous))
