"""Taking a file off an input or a form: who may, and while the input is a draft or returned."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext as _

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Attachment, Input
from consult.inputs.states import FILES_EDITABLE, Status
from consult.submissions.attachments import delete_attachment
from consult.submissions.revising import returned_version
from consult.submissions.rules import SubmissionError, require_cso
from consult.submissions.timeline import record_event
from consult.submissions.withdrawing import can_withdraw
from consult.timeutil import utcnow

#: Statuses whose files the organisation may still take off.
FILES_REMOVABLE = FILES_EDITABLE


class AttachmentOutOfReach(LookupError):
    """No attachment the caller may remove here: answer 404, as for anything out of scope."""


def files_removable(item: Input | None) -> bool:
    """Whether the files of ``item`` (None: a form not saved yet) may still be taken off."""
    return item is None or item.status in FILES_REMOVABLE


def removal_refusal(item: Input) -> str:
    """Why the files of ``item`` stay attached, in words for the person who asked."""
    message = _(
        "Files can be removed only from a draft or from an input returned to you for "
        "revision. This input has already been sent, so its files stay attached."
    )
    if can_withdraw(item):
        message += " " + _(
            "If a file puts someone at risk, withdraw the input: that is possible until a "
            "moderator starts reviewing it."
        )
    return message


def _reachable_attachment(
    user: Any, attachment_id: Any, *, item: Input | None, upload_key: str | None
) -> Attachment:
    """The attachment, if it is on ``item`` or pending under ``upload_key``, of the user's org."""
    try:
        key = attachment_id if isinstance(attachment_id, uuid.UUID) else uuid.UUID(attachment_id)
    except (TypeError, ValueError, AttributeError):
        raise AttachmentOutOfReach from None
    attachment = db.session.get(Attachment, key)
    if (
        attachment is None
        or user.organisation_id is None
        or attachment.organisation_id != user.organisation_id
    ):
        raise AttachmentOutOfReach
    if attachment.input_id is None:
        reachable = bool(upload_key) and attachment.upload_key == upload_key
    else:
        reachable = (
            item is not None
            and attachment.input_id == item.id
            and item.organisation_id == user.organisation_id
        )
    if not reachable:
        raise AttachmentOutOfReach
    return attachment


def _keep_name_only(item: Input, attachment: Attachment) -> None:
    """Earlier versions of a returned input keep the removed file's name, not the file."""
    returned_version(item)
    wanted = str(attachment.id)
    for revision in item.revisions:
        files = list((revision.snapshot or {}).get("attachments") or [])
        kept = [
            {"filename": attachment.filename, "removed": True}
            if entry == wanted or (isinstance(entry, dict) and entry.get("id") == wanted)
            else entry
            for entry in files
        ]
        if kept != files:
            # A new dict: the JSON column only notices a replaced value.
            revision.snapshot = {**revision.snapshot, "attachments": kept}


def remove_attachment(
    user: Any, attachment_id: Any, *, item: Input | None = None, upload_key: str | None = None
) -> str:
    """Take one file off a draft, a returned input, or the form it was uploaded with.

    Within reach is an attachment of the user's organisation that is on
    ``item`` or pending under ``upload_key`` (the form's key); anything else
    raises :class:`AttachmentOutOfReach` (answer 404). A file of an input that
    is no longer a draft or returned raises SubmissionError. The row goes at
    once, the stored file when the transaction commits; a returned input's
    kept earlier version keeps the file's name only. The audit row carries no
    name and no content. Returns the file's name; the caller commits.
    """

    require_cso(user)
    attachment = _reachable_attachment(user, attachment_id, item=item, upload_key=upload_key)
    owner = attachment.input
    if owner is not None:
        if not files_removable(owner):
            raise SubmissionError(removal_refusal(owner))
        if owner.status == Status.RETURNED:
            _keep_name_only(owner, attachment)
        # Changes the input's version: a submit racing this removal fails one of them.
        owner.updated_at = utcnow()
        # On the timeline, without the name: a file name can itself identify someone.
        record_event(owner, user, EventKind.FILE_REMOVED)
    name = attachment.filename
    record(
        "attachment.removed",
        user,
        attachment,
        input_id=str(owner.id) if owner is not None else None,
        input_status=owner.status if owner is not None else "pending",
    )
    delete_attachment(attachment)
    if owner is not None:
        db.session.expire(owner, ["attachments"])
    return name
