"""Submitting an input: validated, routed, recorded; idempotent per one-time key."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.inputs.transitions import transition
from consult.submissions.drafts import draft_to_work_on, input_by_key
from consult.submissions.input_data import InputData, apply_data
from consult.submissions.routing import route_input
from consult.submissions.rules import (
    fail_if_errors,
    require_cso,
    require_open,
    require_verified,
)
from consult.submissions.validation import validate
from consult.timeutil import utcnow


def keep_ip(item: Input) -> None:
    if current_app.config.get("KEEP_CSO_IP") and has_request_context():
        item.submitter_ip = (request.remote_addr or "")[:45] or None
    else:
        item.submitter_ip = None


def submit_input(
    user: Any,
    data: InputData,
    item: Input | None = None,
    *,
    idempotency_key: str | None = None,
    key_looked_up: bool = False,
) -> Input:
    """Submit a new input (or a draft): validate, route, record. Idempotent per key.

    A second call with the same ``idempotency_key`` returns the input the
    first call created instead of creating another one. ``key_looked_up``:
    ``item`` is what the caller found under the key (None: nothing yet).
    """
    require_cso(user)
    finished, item = draft_to_work_on(
        user,
        item,
        idempotency_key,
        _("This input was already submitted."),
        retry_wins=True,
        key_looked_up=key_looked_up,
    )
    if finished is not None:
        return finished
    data = data.cleaned()
    require_open(data.consultation)
    require_verified(user)
    fail_if_errors(validate(data, complete=True))
    created = item is None
    # A one-time key may race with a retry of the same request: the savepoint
    # lets the loser find the winner's input. Without a key there is no race.
    savepoint = db.session.begin_nested() if idempotency_key else None
    try:
        # Everything is set before one flush: a new input is written with one
        # INSERT (no UPDATEs after it, no loads of its still-empty collections).
        with db.session.no_autoflush:
            if item is None:
                item = Input(organisation_id=user.organisation_id, author_id=user.id)
                db.session.add(item)
            if idempotency_key:
                item.idempotency_key = idempotency_key
            apply_data(item, data)
            item.submitted_at = utcnow()
            item.revision = 1
            keep_ip(item)
            route_input(item)
            transition(item, Status.SUBMITTED, user, EventKind.SUBMITTED, routed_to=item.routed_to)
        db.session.flush()
        if savepoint is not None:
            savepoint.commit()
    except IntegrityError:
        # Another request with the same one-time token won the race.
        if savepoint is None:
            raise
        savepoint.rollback()
        existing = input_by_key(idempotency_key) if idempotency_key else None
        if existing is None:
            raise
        return existing
    record(
        "input.submitted",
        user,
        item,
        routed_to=item.routed_to,
        delegation=item.delegation_slug,
        from_draft=not created,
    )
    return item
