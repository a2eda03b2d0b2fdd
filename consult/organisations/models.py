"""Civil society organisations (CSOs)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.reference.models import Country
from consult.timeutil import utcnow

organisation_countries = Table(
    "organisation_countries",
    db.metadata,
    Column(
        "organisation_id",
        Uuid,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("country_code", String(2), ForeignKey("countries.code"), primary_key=True),
)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The short form it goes by ("KYSO"): found in texts as written, like the name.
    acronym: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str] = mapped_column(String(254))
    # Only a verified organisation may submit; an admin verifies it.
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the organisation asked for erasure of its data.
    erasure_requested_at: Mapped[datetime | None] = mapped_column(DateTime)

    countries: Mapped[list[Country]] = relationship(
        secondary=organisation_countries, order_by="Country.name"
    )

    @property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries]
