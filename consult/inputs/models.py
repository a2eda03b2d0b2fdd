"""Consultations, inputs and everything a CSO attaches to an input."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.database import only_on
from consult.extensions import db
from consult.inputs.states import Attribution, Status
from consult.reference.models import (
    Addressee,
    Country,
    Delegation,
    InputType,
    Level,
    Priority,
    Theme,
)
from consult.timeutil import utcnow

if TYPE_CHECKING:
    from consult.auth.models import User
    from consult.inputs.events import ReviewEvent
    from consult.organisations.models import Organisation

# Field lengths, shared by models, forms, the API and the templates that show them.
TITLE_MAX = 200
BODY_MAX = 20_000
RECOMMENDATION_MAX = 2_000
SUMMARY_MAX = 2_000
MESSAGE_MAX = 2_000

consultation_countries = Table(
    "consultation_countries",
    db.metadata,
    Column(
        "consultation_id",
        Uuid,
        ForeignKey("consultations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("country_code", String(2), ForeignKey("countries.code"), primary_key=True),
)

input_themes = Table(
    "input_themes",
    db.metadata,
    Column("input_id", Uuid, ForeignKey("inputs.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_slug", String(40), ForeignKey("themes.slug"), primary_key=True),
)


class Consultation(db.Model):
    __tablename__ = "consultations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    closes_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    countries: Mapped[list[Country]] = relationship(
        secondary=consultation_countries, order_by="Country.name"
    )
    questions: Mapped[list[GuidingQuestion]] = relationship(
        back_populates="consultation",
        order_by="GuidingQuestion.position",
        cascade="all, delete-orphan",
    )

    def is_open_at(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(utcnow())

    @property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries]


class GuidingQuestion(db.Model):
    __tablename__ = "guiding_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    priority_slug: Mapped[str] = mapped_column(ForeignKey("priorities.slug"))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    priority: Mapped[Priority] = relationship()


class InputCountry(db.Model):
    """A country an input is about; position 0 is the main country used for routing."""

    __tablename__ = "input_countries"

    input_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    country: Mapped[Country] = relationship(lazy="joined")


class Input(db.Model):
    """A CSO's contribution to a consultation."""

    __tablename__ = "inputs"
    __table_args__ = (
        # The review queue walks (status, submitted_at, id) in keyset order.
        Index("ix_inputs_queue", "routed_to", "delegation_slug", "status", "submitted_at", "id"),
        # The database refuses a status or attribution the code does not know.
        CheckConstraint(f"status IN ({', '.join(repr(s.value) for s in Status)})", name="status"),
        CheckConstraint(
            f"attribution IN ({', '.join(repr(a.value) for a in Attribution)})",
            name="attribution",
        ),
        # HQ's queue: routed to HQ, whatever the delegation, oldest first.
        Index("ix_inputs_hq_queue", "routed_to", "status", "submitted_at", "id"),
        # Any list of several statuses oldest first (HQ's forwarded list): walked in
        # order, so the first page does not sort every forwarded input.
        Index("ix_inputs_submitted", "submitted_at", "id"),
        # One status oldest first, whatever the routing: each branch of the
        # forwarded list (forwarded, used) is read in this order and merged.
        Index("ix_inputs_status_submitted", "status", "submitted_at", "id"),
        # What was forwarded since HQ last looked at the forwarded list.
        Index("ix_inputs_forwarded_at", "forwarded_at"),
        # Digests: every filter and aggregated column of the forwarded inputs, so
        # the counts are answered from the index alone (no visit to the long texts).
        Index(
            "ix_inputs_digest",
            "status",
            "consultation_id",
            "merged_into_id",
            "priority_slug",
            "type_slug",
            "forwarded_at",
            "organisation_id",
            "id",
        ),
        # Digest exports stream each priority's inputs in id order: walked, not sorted.
        # PostgreSQL only: SQLite's planner would walk it for every GROUP BY priority
        # and read each input's row, instead of counting from ix_inputs_digest.
        Index("ix_inputs_export", "priority_slug", "id", info=only_on("postgresql")).ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    consultation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consultations.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    priority_slug: Mapped[str | None] = mapped_column(ForeignKey("priorities.slug"))
    level_slug: Mapped[str | None] = mapped_column(ForeignKey("levels.slug"))
    type_slug: Mapped[str | None] = mapped_column(ForeignKey("input_types.slug"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    # The text as the CSO wrote it. Once reviewed, EU staff other than admins
    # see ``reviewed_body``; the original stays here, sealed, for audit.
    body: Mapped[str] = mapped_column(Text, default="")
    reviewed_title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    reviewed_body: Mapped[str | None] = mapped_column(Text)
    moderator_summary: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    attribution: Mapped[str] = mapped_column(String(20), default=Attribution.NON_ATTRIBUTABLE)
    is_hq_direct: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT, index=True)
    # Where a submitted input was routed: "delegation" (with its slug) or "hq".
    routed_to: Mapped[str | None] = mapped_column(String(20))
    delegation_slug: Mapped[str | None] = mapped_column(
        ForeignKey("delegations.slug", ondelete="SET NULL")
    )
    claimed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A duplicate points at the input it was merged into; digests count it once.
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inputs.id", ondelete="SET NULL"), index=True
    )
    hq_note: Mapped[str | None] = mapped_column(Text)
    hq_feedback: Mapped[str | None] = mapped_column(Text)
    # Incremented on every change; a save carrying an older value is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # The one-time token of the form (or the API's Idempotency-Key) that
    # created the input: a retry with the same token finds this row.
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # How many times the input was submitted (1 + resubmissions after a return).
    revision: Mapped[int] = mapped_column(Integer, default=0)
    submitter_ip: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}

    consultation: Mapped[Consultation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    priority: Mapped[Priority | None] = relationship()
    level: Mapped[Level | None] = relationship()
    input_type: Mapped[InputType | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    merged_into: Mapped[Input | None] = relationship(remote_side=[id])
    country_links: Mapped[list[InputCountry]] = relationship(
        order_by=InputCountry.position, cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=input_themes, order_by="Theme.position")
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="input",
        order_by="Recommendation.position",
        cascade="all, delete-orphan",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="input", order_by="Attachment.created_at"
    )
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="input",
        order_by="ReviewEvent.created_at",
        cascade="all, delete-orphan",
    )
    revisions: Mapped[list[InputRevision]] = relationship(
        back_populates="input",
        order_by="InputRevision.number",
        cascade="all, delete-orphan",
    )

    @property
    def countries(self) -> list[Country]:
        return [link.country for link in self.country_links]

    @property
    def country_codes(self) -> list[str]:
        return [link.country_code for link in self.country_links]

    @property
    def main_country(self) -> Country | None:
        return self.country_links[0].country if self.country_links else None

    def set_countries(self, codes: list[str]) -> None:
        """Replace the countries, keeping the order given (the first is the main one)."""
        seen: list[str] = []
        for code in codes:
            if code not in seen:
                seen.append(code)
        existing = {link.country_code: link for link in self.country_links}
        self.country_links = []
        for pos, code in enumerate(seen):
            link = existing.get(code) or InputCountry(country_code=code)
            link.position = pos
            self.country_links.append(link)

    @property
    def effective_title(self) -> str:
        """The title EU staff and digests see: the reviewed one once there is one."""
        return self.reviewed_title if self.reviewed_title is not None else self.title

    @property
    def effective_body(self) -> str:
        """The body EU staff and digests see: the reviewed one once there is one."""
        return self.reviewed_body if self.reviewed_body is not None else self.body

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_redacted(self) -> bool:
        return (self.reviewed_body is not None and self.reviewed_body != self.body) or (
            self.reviewed_title is not None and self.reviewed_title != self.title
        )


class Recommendation(db.Model):
    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    input_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    addressee_slug: Mapped[str] = mapped_column(ForeignKey("addressees.slug"))
    text: Mapped[str] = mapped_column(Text)
    # The redacted text; None until a reviewer changed it.
    reviewed_text: Mapped[str | None] = mapped_column(Text)

    input: Mapped[Input] = relationship(back_populates="recommendations")
    addressee: Mapped[Addressee] = relationship()

    @property
    def effective_text(self) -> str:
        return self.reviewed_text if self.reviewed_text is not None else self.text


class Attachment(db.Model):
    """A file attached to an input, stored outside static/ under a random name.

    An attachment uploaded with a form that then failed validation is kept
    with ``input_id`` None and the form's ``upload_key``, so the CSO does not
    have to upload it again.
    """

    __tablename__ = "attachments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    input_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    upload_key: Mapped[str | None] = mapped_column(String(120), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    input: Mapped[Input | None] = relationship(back_populates="attachments")


class InputRevision(db.Model):
    """A snapshot of an input as it was submitted, kept when it is revised.

    A returned input's snapshot is made at resubmission, or earlier when a file
    is removed from it; a removed file stays in ``snapshot["attachments"]`` as
    ``{"filename": ..., "removed": true}`` only (its bytes are gone).
    """

    __tablename__ = "input_revisions"
    __table_args__ = (UniqueConstraint("input_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    input_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    input: Mapped[Input] = relationship(back_populates="revisions")
