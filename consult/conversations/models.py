"""Messages of an input's thread and the files attached to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import utcnow

if TYPE_CHECKING:
    from consult.auth.models import User
    from consult.inputs.models import Input

#: Who wrote a message: the organisation's members, or the input's reviewers.
CSO_SIDE = "cso"
REVIEWER_SIDE = "reviewers"


class Message(db.Model):
    """One message of an input's thread (never in a digest)."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread", "input_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    input_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: :data:`CSO_SIDE` or :data:`REVIEWER_SIDE`: kept even when the author's account goes.
    side: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    #: A reviewer's question that waits for the CSO's answer (the next CSO message answers it).
    is_question: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    input: Mapped[Input] = relationship()
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[MessageAttachment]] = relationship(
        back_populates="message",
        order_by="MessageAttachment.position",
        cascade="all, delete-orphan",
    )


class MessageAttachment(db.Model):
    """A file sent with a message: checked and stripped like an input's attachment."""

    __tablename__ = "message_attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    #: The input's organisation: an erasure finds the files by it.
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments")
