"""Deciding on an input (forward, return, decline, in bulk) and HQ's feedback on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.audit.services import record
from consult.inputs.events import EventKind
from consult.inputs.models import MESSAGE_MAX, Input
from consult.inputs.scope import may_record_feedback
from consult.inputs.states import FORWARDED_STATUSES, Status
from consult.inputs.transitions import transition
from consult.review.conflicts import ConflictError, check_version, save_input
from consult.review.findings import require_findings_handled
from consult.review.rules import (
    ReviewError,
    require_not_held_by_other,
    require_open,
    require_reviewer,
)
from consult.timeutil import utcnow

#: Why an input may be declined; the CSO sees the label and the free text.
DECLINE_REASONS: dict[str, Any] = {
    "out-of-scope": _l("Outside the scope of this consultation"),
    "insufficient": _l("Not enough information to act on"),
    "duplicate": _l("Duplicates another input"),
    "personal-data": _l("Consists mainly of personal or identifying information"),
    "abusive": _l("Abusive or inappropriate content"),
    "other": _l("Other reason"),
}

DECISIONS = ("forward", "return", "decline")
#: The decisions a reviewer confirms on a second page (they send the input away from HQ).
CONFIRMED_DECISIONS = ("return", "decline")


def decide(
    user: Any,
    item: Input,
    action: str,
    message: str | None = None,
    *,
    version: int | str | None,
    reason: str | None = None,
) -> None:
    """Forward (``message`` is the note to HQ), return (the question) or decline.

    A decline needs a reason from :data:`DECLINE_REASONS`; ``message`` adds free text.
    """
    message = check_decision(user, item, Proposal(action, message, reason), version=version)
    now = utcnow()
    if action == "forward":
        require_findings_handled(item)
        transition(item, Status.FORWARDED, user, EventKind.FORWARDED)
        item.forwarded_at = now
        if message:
            item.hq_note = message
    elif action == "return":
        transition(item, Status.RETURNED, user, EventKind.RETURNED, message=message)
    else:
        label = str(DECLINE_REASONS[reason or ""])
        text = f"{label}. {message}" if message else label
        transition(item, Status.DECLINED, user, EventKind.DECLINED, message=text, reason=reason)
    item.decided_at = now
    item.claimed_by_id = None
    item.claimed_at = None
    save_input(item)
    detail: dict[str, Any] = {"reason": reason} if action == "decline" else {}
    record(f"input.{_PAST[action]}", user, item, **detail)


@dataclass(frozen=True)
class Proposal:
    """A decision as the reviewer typed it: the action, its message, a decline's reason."""

    action: str
    message: str | None = None
    reason: str | None = None


def check_decision(
    user: Any, item: Input, proposal: Proposal, *, version: int | str | None
) -> str | None:
    """Refuse a decision that cannot be taken as typed; return the cleaned message.

    Run before a decision, and before its confirmation page is shown (a return
    or decline is confirmed on a second page): the person is told what is
    missing on the review page, not after confirming.
    """
    action, message, reason = proposal.action, proposal.message, proposal.reason
    if action not in DECISIONS:
        raise ReviewError(_("Unknown decision."))
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    require_not_held_by_other(user, item)
    message = (message or "").strip() or None
    if message and len(message) > MESSAGE_MAX:
        raise ReviewError(
            _("Keep the message under %(n)s characters.", n=MESSAGE_MAX),
            {"message": [_("Keep the message under %(n)s characters.", n=MESSAGE_MAX)]},
        )
    if action == "return" and not message:
        raise ReviewError(
            _("Write the question for the CSO."),
            {"message": [_("Write the question for the CSO.")]},
        )
    if action == "decline" and reason not in DECLINE_REASONS:
        raise ReviewError(
            _("Choose a reason for declining."),
            {"reason": [_("Choose a reason for declining.")]},
        )
    return message


_PAST = {"forward": "forwarded", "return": "returned", "decline": "declined"}


@dataclass
class BulkResult:
    forwarded: list[Input] = field(default_factory=list)
    skipped: list[tuple[Input, str]] = field(default_factory=list)


def bulk_forward(
    user: Any, items: Iterable[Input], versions: Mapping[uuid.UUID, int] | None = None
) -> BulkResult:
    """Forward each input that is open and not held by someone else; say why others are not."""
    result = BulkResult()
    pending = list(items)
    while pending:
        item = pending.pop(0)
        version = (versions or {}).get(item.id)
        try:
            decide(user, item, "forward", version=version)
        except ConflictError as conflict:
            result.skipped.append((item, _("changed since you loaded the queue")))
            if conflict.rolled_back:
                # A lost race rolled back the inputs forwarded so far: redo them.
                pending = result.forwarded + pending
                result.forwarded = []
        except ReviewError as error:
            result.skipped.append((item, error.message))
        else:
            result.forwarded.append(item)
    return result


def record_hq_feedback(
    user: Any, item: Input, note: str, *, version: int | str | None = None
) -> None:
    """Say how HQ used a forwarded input; the CSO sees the note."""
    if not may_record_feedback(user, item):
        raise ReviewError(_("Only HQ analysts record how an input was used."))
    check_version(item, version)
    if item.status not in FORWARDED_STATUSES:
        raise ReviewError(_("Only forwarded inputs can be marked as used."))
    note = (note or "").strip()
    if not note:
        raise ReviewError(
            _("Say how the input was used."), {"note": [_("Say how the input was used.")]}
        )
    if len(note) > MESSAGE_MAX:
        raise ReviewError(
            _("Keep the note under %(n)s characters.", n=MESSAGE_MAX),
            {"note": [_("Keep the note under %(n)s characters.", n=MESSAGE_MAX)]},
        )
    transition(item, Status.USED, user, EventKind.USED, message=note)
    item.hq_feedback = note
    item.used_at = utcnow()
    save_input(item)
    record("input.feedback_recorded", user, item)
