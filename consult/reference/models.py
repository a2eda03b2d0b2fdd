"""Reference data of the ENP security dimension.

Every table is keyed by a stable slug (or ISO code): slugs are what the API,
the CLI and the digests speak, and admins may rename an entry without
breaking any of them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db


class Region(db.Model):
    __tablename__ = "regions"

    slug: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # How digests speak of an organisation in this region without naming a
    # country: "a CSO in the Eastern Neighbourhood".
    neighbourhood_name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    countries: Mapped[list[Country]] = relationship(
        back_populates="region", order_by="Country.name"
    )


class Delegation(db.Model):
    """An EU Delegation; it covers the countries whose ``delegation_slug`` names it."""

    __tablename__ = "delegations"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))

    countries: Mapped[list[Country]] = relationship(
        back_populates="delegation", order_by="Country.name"
    )

    @property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries]


class Country(db.Model):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    region_slug: Mapped[str] = mapped_column(ForeignKey("regions.slug"), index=True)
    # None: no reachable delegation, inputs for this country go straight to HQ.
    delegation_slug: Mapped[str | None] = mapped_column(
        ForeignKey("delegations.slug", ondelete="SET NULL"), index=True
    )

    region: Mapped[Region] = relationship(back_populates="countries")
    delegation: Mapped[Delegation | None] = relationship(back_populates="countries")


class Priority(db.Model):
    __tablename__ = "priorities"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(Integer, default=0)


class InputType(db.Model):
    __tablename__ = "input_types"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Theme(db.Model):
    __tablename__ = "themes"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Level(db.Model):
    __tablename__ = "levels"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Addressee(db.Model):
    """Whom a recommendation is addressed to (EU, EUD, member states, ...)."""

    __tablename__ = "addressees"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
