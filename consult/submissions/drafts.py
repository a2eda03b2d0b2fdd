"""Drafts: saving one (a retried save or submit finds its input again), deleting one."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.submissions.attachments import delete_attachment
from consult.submissions.input_data import InputData, apply_data
from consult.submissions.rules import (
    SubmissionError,
    fail_if_errors,
    require_cso,
    require_open,
    require_own,
)
from consult.submissions.validation import validate


def input_by_key(key: str) -> Input | None:
    return db.session.scalar(select(Input).where(Input.idempotency_key == key))


def draft_to_work_on(
    user: Any,
    item: Input | None,
    idempotency_key: str | None,
    refusal: str,
    *,
    retry_wins: bool = False,
    key_looked_up: bool = False,
) -> tuple[Input | None, Input | None]:
    """Resolve a retry and the draft a save or submit works on.

    Returns ``(finished, draft)``: ``finished`` is the input an earlier call with
    the same key already took past the draft stage (the retry returns it as it
    is); otherwise ``draft`` is the draft to update, or None for a new input.
    Raises SubmissionError with ``refusal`` when ``item`` is no longer a draft.
    With ``retry_wins`` the key is looked up even when ``item`` is given: a
    retried submit of a draft answers with the input the first try submitted.
    With ``key_looked_up`` the caller has already looked the key up (the API,
    to say "replayed") and ``item`` is what it found, or None: no second lookup.
    """
    if idempotency_key and (item is None or retry_wins):
        existing = item if key_looked_up else input_by_key(idempotency_key)
        if existing is not None:
            require_own(user, existing)
            if existing.status != Status.DRAFT:
                return existing, None
            item = existing
    if item is not None:
        require_own(user, item)
        if item.status != Status.DRAFT:
            raise SubmissionError(refusal)
    return None, item


def save_draft(
    user: Any, data: InputData, item: Input | None = None, *, idempotency_key: str | None = None
) -> Input:
    """Create or update a draft of the user's organisation. Drafts need no field filled."""
    require_cso(user)
    data = data.cleaned()
    finished, item = draft_to_work_on(
        user, item, idempotency_key, _("Only a draft can be saved as a draft.")
    )
    if finished is not None:
        return finished
    require_open(data.consultation)
    fail_if_errors(validate(data, complete=False))
    created = item is None
    if item is None:
        item = Input(
            organisation_id=user.organisation_id,
            author_id=user.id,
            status=Status.DRAFT,
            idempotency_key=idempotency_key,
        )
        db.session.add(item)
    apply_data(item, data)
    db.session.flush()
    if created:
        record("input.draft_created", user, item)
    return item


def delete_draft(user: Any, item: Input) -> None:
    """Delete a draft of the user's organisation (and its attachments)."""

    require_cso(user)
    require_own(user, item)
    if item.status != Status.DRAFT:
        raise SubmissionError(_("Only a draft can be deleted."))
    for attachment in list(item.attachments):
        delete_attachment(attachment)
    record("input.draft_deleted", user, item)
    db.session.delete(item)
    db.session.flush()
