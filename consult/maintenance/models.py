"""What is left of inputs once retention or erasure has deleted them: counts only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class PurgedInputCount(db.Model):
    """How many deleted inputs a consultation had per priority, main country and type.

    Nothing here can name an organisation or a person: a purge keeps these
    counts so that totals and charts of past consultations still add up.
    """

    __tablename__ = "purged_input_counts"
    __table_args__ = (
        UniqueConstraint("consultation_id", "priority_slug", "country_code", "type_slug"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    # Plain strings rather than foreign keys: reference data may change later.
    priority_slug: Mapped[str] = mapped_column(String(40), default="")
    country_code: Mapped[str] = mapped_column(String(2), default="")
    type_slug: Mapped[str] = mapped_column(String(40), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
