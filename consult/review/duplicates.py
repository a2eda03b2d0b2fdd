"""Marking an input as a duplicate of another (digests count them once)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import RoutedTo, Status
from consult.review.conflicts import check_version, save_input
from consult.review.rules import (
    ReviewError,
    can_review,
    require_not_held_by_other,
    require_reviewer,
)
from consult.review.timeline import record_event


def merge_candidates(user: Any, item: Input, limit: int = 100) -> list[Input]:
    """Inputs of the same consultation in the reviewer's scope that ``item`` may duplicate."""
    if not can_review(user, item):
        return []
    stmt = (
        select(Input)
        .where(
            Input.consultation_id == item.consultation_id,
            Input.id != item.id,
            Input.merged_into_id.is_(None),
            Input.status.not_in([Status.DRAFT, Status.WITHDRAWN]),
            Input.routed_to == item.routed_to,
        )
        .order_by(Input.submitted_at, Input.id)
        .limit(limit)
    )
    if item.routed_to == RoutedTo.DELEGATION:
        stmt = stmt.where(
            Input.delegation_slug == item.delegation_slug, Input.is_hq_direct.is_(False)
        )
    return [c for c in db.session.scalars(stmt) if can_review(user, c)]


def merge(user: Any, duplicate: Input, target: Input, *, version: int | str | None) -> None:
    """Mark ``duplicate`` as a duplicate of ``target`` (digests count them once).

    Both keep their own status and timeline: neither CSO learns of the other.
    """
    require_reviewer(user, duplicate)
    check_version(duplicate, version)
    if not can_review(user, target):
        raise ReviewError(_("Choose an input from your own queue."))
    if target.id == duplicate.id:
        raise ReviewError(
            _("An input cannot duplicate itself."), {"target": [_("Choose another input.")]}
        )
    if duplicate.merged_into_id is not None:
        raise ReviewError(_("This input is already marked as a duplicate."))
    if target.merged_into_id is not None:
        raise ReviewError(
            _("That input is itself a duplicate; merge into the input it duplicates."),
            {"target": [_("Choose an input that is not a duplicate.")]},
        )
    require_not_held_by_other(user, duplicate)
    record_event(duplicate, user, EventKind.MERGED, merged_into=str(target.id))
    record_event(target, user, EventKind.MERGED, duplicate=str(duplicate.id))
    duplicate.merged_into_id = target.id
    save_input(duplicate)
    record("input.merged", user, duplicate, merged_into=str(target.id))
