"""Withdrawing a submitted input, possible until a moderator claims it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.inputs.transitions import transition
from consult.submissions.rules import SubmissionError, require_cso, require_own


def withdraw(user: Any, item: Input) -> None:
    """Take back a submitted input, as long as no moderator has claimed it."""
    require_cso(user)
    require_own(user, item)
    if item.status != Status.SUBMITTED or item.claimed_by_id is not None:
        raise SubmissionError(
            _("A moderator is already reviewing this input, so it can no longer be withdrawn.")
            if item.status in (Status.SUBMITTED, Status.IN_REVIEW)
            else _("Only a submitted input can be withdrawn.")
        )
    transition(item, Status.WITHDRAWN, user, EventKind.WITHDRAWN)
    db.session.flush()
    record("input.withdrawn", user, item)


def can_withdraw(item: Input) -> bool:
    return item.status == Status.SUBMITTED and item.claimed_by_id is None
