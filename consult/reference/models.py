"""Reference data of the ENP security dimension.

Every table is keyed by a stable slug (or ISO code): slugs are what the API,
the CLI and the digests speak, and admins may rename an entry without
breaking any of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.i18n import label


def translated(stored: str) -> Any:
    """``name`` as the interface language reads it; the English ``stored`` one in SQL.

    Entries are stored under their English name (what admins type and rename);
    reading ``entry.name`` gives the catalogue's label for the current locale, so
    pages, forms, the API and the reports all speak the reader's language.
    ``Model.name`` in a query is still the stored column, and assigning
    ``entry.name`` sets it.
    """

    def fget(self: Any) -> str:
        return label(getattr(self, stored))

    def fset(self: Any, value: str) -> None:
        setattr(self, stored, value)

    def expr(cls: Any) -> Any:
        return getattr(cls, stored)

    return hybrid_property(fget, fset, expr=expr)


class Region(db.Model):
    __tablename__ = "regions"

    slug: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(80))
    name = translated("name_en")
    # How digests speak of an organisation in this region without naming a
    # country: "a CSO in the Eastern Neighbourhood".
    neighbourhood_name_en: Mapped[str] = mapped_column("neighbourhood_name", String(80))
    neighbourhood_name = translated("neighbourhood_name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)

    countries: Mapped[list[Country]] = relationship(
        back_populates="region", order_by="Country.name_en"
    )


class Delegation(db.Model):
    """An EU Delegation; it covers the countries whose ``delegation_slug`` names it."""

    __tablename__ = "delegations"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(120))
    name = translated("name_en")

    countries: Mapped[list[Country]] = relationship(
        back_populates="delegation", order_by="Country.name_en"
    )

    @property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries]


class Country(db.Model):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(80))
    name = translated("name_en")
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
    name_en: Mapped[str] = mapped_column("name", String(160))
    name = translated("name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)


class InputType(db.Model):
    __tablename__ = "input_types"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(120))
    name = translated("name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Theme(db.Model):
    __tablename__ = "themes"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(120))
    name = translated("name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Level(db.Model):
    __tablename__ = "levels"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(80))
    name = translated("name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Addressee(db.Model):
    """Whom a recommendation is addressed to (EU, EUD, member states, ...)."""

    __tablename__ = "addressees"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column("name", String(120))
    name = translated("name_en")
    position: Mapped[int] = mapped_column(Integer, default=0)
