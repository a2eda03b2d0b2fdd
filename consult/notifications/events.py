"""Who is told what: one function per event, and the hook that hears decisions and releases.

Status changes are heard where they are recorded: every move of the state
machine adds a :class:`~consult.inputs.events.ReviewEvent`, and a release is
a new :class:`~consult.digest.releases.models.Release`; a ``before_flush``
hook turns those into notifications in the same transaction, so a refused
request (rolled back) tells nobody, and no code path can forget to tell.
Messages are told by :func:`message_posted`, called by the thread's service.

Notifications are rows in the database; emails are composed from them later
by :mod:`consult.notifications.outbox`, never inside the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from consult.auth.models import User
from consult.conversations.models import CSO_SIDE
from consult.digest.releases.models import Release
from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import Input
from consult.inputs.scope import (
    hq_analysts_condition,
    members_condition,
    participants_condition,
    reviewers_condition,
)
from consult.inputs.states import RoutedTo, Status
from consult.notifications.mail_rounds import told_someone
from consult.notifications.models import Kind, Notification

#: Decisions the organisation hears about as a status change.
_CSO_DECISIONS = {
    EventKind.FORWARDED.value,
    EventKind.DECLINED.value,
    EventKind.USED.value,
}


def _user_ids(session: Session, condition: Any, *, but: Any = None) -> list[uuid.UUID]:
    ids = session.scalars(select(User.id).where(condition)).all()
    return [i for i in ids if i != but]


def _tell(
    session: Session,
    users: Iterable[uuid.UUID],
    kind: Kind,
    *,
    item: Input | None = None,
    release: Release | None = None,
    **data: Any,
) -> None:
    for user_id in users:
        told_someone(session)
        session.add(
            Notification(
                user_id=user_id,
                kind=kind.value,
                # Through the relationships: a new input or release has no id before the flush.
                input=item,
                release=release,
                data=data or None,
            )
        )


def input_event(session: Session, item: Input, review_event: ReviewEvent) -> None:
    """Tell the people an input's timeline event concerns."""
    kind = review_event.kind
    actor = review_event.actor_id
    if kind in (EventKind.SUBMITTED.value, EventKind.RESUBMITTED.value):
        _tell(session, _user_ids(session, reviewers_condition(item)), Kind.QUEUE, item=item)
    elif kind == EventKind.RETURNED.value:
        members = _user_ids(session, members_condition(item.organisation_id), but=actor)
        _tell(session, members, Kind.QUESTION, item=item, status=Status.RETURNED.value)
    elif kind in _CSO_DECISIONS:
        members = _user_ids(session, members_condition(item.organisation_id), but=actor)
        _tell(session, members, Kind.STATUS, item=item, status=kind)
    if kind == EventKind.FORWARDED.value and item.routed_to == RoutedTo.DELEGATION:
        # Routed to HQ, HQ forwards it itself: nobody there needs telling.
        hq = _user_ids(session, hq_analysts_condition(), but=actor)
        _tell(session, hq, Kind.FORWARDED, item=item)


def message_posted(message: Any, item: Input) -> None:
    """Tell the other side of the thread; a reviewer's question is a question to the CSO."""
    session = db.session
    if message.side == CSO_SIDE:
        users = _user_ids(session, reviewers_condition(item), but=message.author_id)
        _tell(session, users, Kind.MESSAGE, item=item)
        return
    members = _user_ids(session, members_condition(item.organisation_id))
    _tell(session, members, Kind.QUESTION if message.is_question else Kind.MESSAGE, item=item)


def release_published(session: Session, release: Release) -> None:
    """Tell every organisation that took part in the consultation: its report is out."""
    members = session.scalars(
        select(User.id).where(participants_condition(release.consultation_id))
    ).all()
    _tell(session, members, Kind.REPORT, release=release)


@event.listens_for(Session, "before_flush")
def _hear(session: Session, _context: Any, _instances: Any) -> None:
    """Turn new timeline events and releases into notifications, in the same flush."""
    new = [o for o in session.new if isinstance(o, ReviewEvent | Release)]
    if not new:
        return
    with session.no_autoflush:
        for obj in new:
            if isinstance(obj, Release):
                release_published(session, obj)
                continue
            item = obj.input or session.get(Input, obj.input_id)
            if item is not None:
                input_event(session, item, obj)
