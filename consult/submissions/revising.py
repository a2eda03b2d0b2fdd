"""Revising an input a moderator returned: the returned version is kept, the new one sent."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input, InputRevision
from consult.inputs.plain import as_written
from consult.inputs.states import Status
from consult.inputs.transitions import transition
from consult.submissions.input_data import InputData, apply_data
from consult.submissions.routing import route_input
from consult.submissions.rules import (
    SubmissionError,
    fail_if_errors,
    require_cso,
    require_own,
    require_verified,
)
from consult.submissions.submitting import keep_ip
from consult.submissions.validation import validate
from consult.timeutil import utcnow


def snapshot(item: Input) -> dict[str, Any]:
    """The input as it stands, as plain JSON (kept when a revision replaces it).

    Beside what the CSO wrote, it keeps the moderator's reviewed texts, so
    that what was corrected or redacted in this version can be shown later.
    """
    data = as_written(item)
    for rec, kept in zip(item.recommendations, data["recommendations"], strict=True):
        kept["reviewed_text"] = rec.reviewed_text
    return {
        **data,
        "reviewed_title": item.reviewed_title,
        "reviewed_body": item.reviewed_body,
        "attachments": [{"id": str(a.id), "filename": a.filename} for a in item.attachments],
        "routed_to": item.routed_to,
        "delegation": item.delegation_slug,
        "submitted_at": item.submitted_at.isoformat() if item.submitted_at else None,
    }


def returned_version(item: Input) -> InputRevision:
    """The kept snapshot of the version a moderator returned, made now if not yet.

    Usually made at resubmission; removing a file from the returned input makes
    it earlier, so that the snapshot shows the version the moderator saw.
    """
    number = max(item.revision, 1)
    for revision in item.revisions:
        if revision.number == number:
            return revision
    revision = InputRevision(number=number, snapshot=snapshot(item))
    item.revisions.append(revision)
    return revision


def resubmit(user: Any, item: Input, data: InputData) -> Input:
    """Send a returned input again, revised; the returned version is kept as a revision."""
    require_cso(user)
    require_own(user, item)
    if item.status != Status.RETURNED:
        raise SubmissionError(_("Only an input returned to you can be revised and resubmitted."))
    require_verified(user)
    data = data.cleaned()
    data.consultation = item.consultation
    fail_if_errors(validate(data, complete=True))
    returned_version(item)
    apply_data(item, data)
    # The reviewed text belonged to the earlier version: the new one is reviewed afresh.
    item.reviewed_title = None
    item.reviewed_body = None
    item.moderator_summary = None
    item.claimed_by_id = None
    item.claimed_at = None
    item.decided_at = None
    item.revision = max(item.revision, 1) + 1
    item.submitted_at = utcnow()
    keep_ip(item)
    db.session.flush()
    route_input(item)
    transition(
        item,
        Status.SUBMITTED,
        user,
        EventKind.RESUBMITTED,
        revision=item.revision,
        routed_to=item.routed_to,
    )
    db.session.flush()
    record("input.resubmitted", user, item, revision=item.revision, routed_to=item.routed_to)
    return item
