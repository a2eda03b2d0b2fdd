"""A person's notifications: the list, the unread count, marking read, the email choice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError

from consult.audit.services import record
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.scope import can_see_input, speaks_for_an_organisation
from consult.inputs.states import STATUS_LABELS, Status
from consult.notifications.models import (
    FREQUENCY_LABELS,
    Frequency,
    Kind,
    Notification,
    NotificationPreference,
)
from consult.notifications.outbox import frequency_of
from consult.timeutil import utcnow

#: How many notifications the list shows.
LIST_SIZE = 100


class PreferenceError(DomainError):
    """An email choice that is not one of the offered ones."""


def unread_count(user: Any) -> int:
    """The navigation's count; 0 when the database cannot answer (an error page still renders)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    try:
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            )
            or 0
        )
    except SQLAlchemyError:
        return 0


@dataclass(frozen=True)
class Shown:
    """One notification as the list shows it: a sentence and where it leads."""

    id: int
    text: str
    url: str
    unread: bool
    created_at: Any


def _title(user: Any, item: Any) -> str:
    return item.title if speaks_for_an_organisation(user) else item.effective_title


def _status_label(value: str) -> str:
    try:
        return _(STATUS_LABELS[Status(value)])  # type: ignore[call-overload]
    except (ValueError, KeyError):
        return value


def _describe(user: Any, note: Notification) -> Shown | None:
    """The sentence and link of ``note`` for ``user``; None when its object is out of sight."""
    kind = Kind(note.kind)
    if kind == Kind.REPORT:
        release = note.release
        if release is None:
            return None
        text = _(
            "The report of \u201c%(consultation)s\u201d is published: you can download it.",
            consultation=release.consultation.title,
        )
        return Shown(
            note.id, text, url_for("organisation.reports"), note.read_at is None, note.created_at
        )
    item = note.input
    if item is None or not can_see_input(user, item):
        return None
    title = _title(user, item)
    if kind == Kind.STATUS:
        text = _(
            "Your input \u201c%(title)s\u201d is now: %(status)s.",
            title=title,
            status=_status_label((note.data or {}).get("status", item.status)),
        )
    elif kind == Kind.QUESTION:
        text = _("A question about \u201c%(title)s\u201d waits for your answer.", title=title)
    elif kind == Kind.MESSAGE:
        text = _("New message about \u201c%(title)s\u201d.", title=title)
    elif kind == Kind.QUEUE:
        text = _("New input in your queue: \u201c%(title)s\u201d.", title=title)
    else:
        text = _("Newly forwarded input: \u201c%(title)s\u201d.", title=title)
    if speaks_for_an_organisation(user):
        url = url_for("submissions.input_detail", input_id=item.id)
    else:
        url = url_for("review.input", input_id=item.id)
    if kind in (Kind.QUESTION, Kind.MESSAGE):
        url += "#thread"
    return Shown(note.id, text, url, note.read_at is None, note.created_at)


def notifications_of(user: Any) -> list[Shown]:
    """The newest notifications of ``user`` that still point at something they may see."""
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(LIST_SIZE)
    )
    return [shown for note in notes if (shown := _describe(user, note)) is not None]


def open_notification(user: Any, notification_id: int) -> str | None:
    """Mark one of ``user``'s notifications read; its link, or None if it is not theirs."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        return None
    shown = _describe(user, note)
    if note.read_at is None:
        note.read_at = utcnow()
    db.session.flush()
    return shown.url if shown is not None else None


def _mark_read(user: Any, *where: Any) -> int:
    changed = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), *where)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(changed or 0)


def read_news_about(user: Any, item: Any) -> None:
    """Reading an input's page reads the news about it (the caller commits)."""
    _mark_read(user, Notification.input_id == item.id)


def mark_all_read(user: Any) -> int:
    return _mark_read(user)


def frequency_choices() -> list[tuple[str, str]]:
    return [(f.value, _(FREQUENCY_LABELS[f])) for f in Frequency]


def current_frequency(user: Any) -> Frequency:
    return frequency_of(user)


def choose_frequency(user: Any, value: str | None) -> Frequency:
    """Store ``user``'s email choice; PreferenceError for a value that is not offered."""
    try:
        frequency = Frequency(value or "")
    except ValueError:
        message = _("Choose one of the options.")
        raise PreferenceError(message, fields={"frequency": [message]}) from None
    chosen = db.session.get(NotificationPreference, user.id)
    if chosen is None:
        chosen = NotificationPreference(user_id=user.id, frequency=frequency.value)
        db.session.add(chosen)
    chosen.frequency = frequency.value
    record(
        "notification.preference_changed",
        user,
        object_type="users",
        object_id=str(user.id),
        frequency=frequency.value,
    )
    db.session.flush()
    return frequency
