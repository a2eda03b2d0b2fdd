"""Published external releases: what was decided once and is rendered ever after.

A :class:`Release` stores the protected tables of a consultation (with their
suppression pattern and the audit that passed them) and a
:class:`ReleaseInput` per published input: its random reference, its place
(countries, or regions when the country is withheld), whether its
organisation is named, and its texts as redacted at publication. Nothing
here is recomputed when a file is downloaded.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import utcnow


class Release(db.Model):
    """One publication of a consultation's external digest. Immutable once written."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    consultation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("consultations.id"), index=True
    )
    #: 1, 2, ... within the consultation.
    number: Mapped[int] = mapped_column(Integer)
    #: The months covered, "YYYY-MM": inputs forwarded in whole months only.
    period_start: Mapped[str] = mapped_column(String(7))
    period_end: Mapped[str] = mapped_column(String(7))
    k: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    input_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The published tables and their suppression pattern (see ``tables.py``).
    tables: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The suppression audit that passed (see ``audit.py``): cells, intervals, passes.
    audit: Mapped[dict[str, Any]] = mapped_column(JSON)

    consultation = relationship("Consultation")
    published_by = relationship("User")

    @property
    def label(self) -> str:
        return f"{self.consultation.slug} #{self.number}"


class ReleaseInput(db.Model):
    """One input as a release publishes it."""

    __tablename__ = "release_inputs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("releases.id", ondelete="CASCADE"), index=True
    )
    #: The order of the release: by priority, then by reference (random).
    position: Mapped[int] = mapped_column(Integer)
    #: Random per release, so that two releases cannot be joined on it.
    reference: Mapped[str] = mapped_column(String(16))
    #: Internal link, used only to audit later releases together with this one;
    #: never exported. Cleared when the input is erased.
    input_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("inputs.id", ondelete="SET NULL"), index=True
    )
    priority_slug: Mapped[str] = mapped_column(String(40))
    type_slug: Mapped[str | None] = mapped_column(String(40))
    level_slug: Mapped[str | None] = mapped_column(String(40))
    #: Country codes when the release names them, else empty.
    countries: Mapped[list[str]] = mapped_column(JSON)
    #: Region slugs when the release places the input at region level; ["*"] is the
    #: whole European Neighbourhood.
    regions: Mapped[list[str]] = mapped_column(JSON)
    #: The organisation's name when it is named, else None.
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    themes: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: [[addressee slug, text], ...]
    recommendations: Mapped[list[list[str]]] = mapped_column(JSON)
    forwarded_month: Mapped[str] = mapped_column(String(7))
    region_level: Mapped[bool] = mapped_column(Boolean, default=False)
