"""Notifications in the app, each person's email choice, and the email outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.i18n import N_
from consult.timeutil import utcnow

if TYPE_CHECKING:
    from consult.inputs.models import Input


class Kind(StrEnum):
    STATUS = "status"  # CSO: a decision on its input
    QUESTION = "question"  # CSO: a question that needs its answer
    MESSAGE = "message"  # both sides: a new message in a thread
    QUEUE = "queue"  # reviewers: a new (or resubmitted) input in their queue
    FORWARDED = "forwarded"  # HQ: a newly forwarded input
    REPORT = "report"  # CSO: a published report of a consultation it took part in


class Frequency(StrEnum):
    IMMEDIATE = "immediate"
    HOURLY = "hourly"
    DAILY = "daily"
    NONE = "none"


FREQUENCY_LABELS = {
    Frequency.IMMEDIATE: N_("At once, one email per news"),
    Frequency.HOURLY: N_("At most one email an hour"),
    Frequency.DAILY: N_("A daily summary"),
    Frequency.NONE: N_("No email (I read the news here)"),
}


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Notification(db.Model):
    """One piece of news for one person, read in the app; emails only say that there is news."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_unread", "user_id", "read_at"),
        Index("ix_notifications_unmailed", "emailed", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    input_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), index=True
    )
    release_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Whether an email (or the choice of none) has accounted for it.
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)

    input: Mapped[Input | None] = relationship()
    release = relationship("Release")


class NotificationPreference(db.Model):
    """How often a person wants email about their news (none stored: the role's default)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    frequency: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class OutboxMail(db.Model):
    """An email waiting to be sent, being sent, sent or given up; sent by ``flask send-mail``.

    The body says only that there is news and where to sign in: mail crosses
    monitored networks.
    """

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The last failure's class name (never an address or a text).
    last_error: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
