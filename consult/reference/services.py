"""Loading and looking up reference data."""

from __future__ import annotations

from sqlalchemy import select

from consult.extensions import db
from consult.reference import data
from consult.reference.models import (
    Addressee,
    Country,
    Delegation,
    InputType,
    Level,
    Priority,
    Region,
    Theme,
)


def _upsert(model: type, key: str, values: dict) -> None:
    obj = db.session.get(model, values[key])
    if obj is None:
        db.session.add(model(**values))


def load_reference_data(with_delegations: bool = True) -> None:
    """Insert the reference data of DESIGN.md; entries already there are left as they are.

    Safe to run any number of times: it adds what is missing and never
    overwrites an admin's edits.
    """
    for pos, (slug, name, hood) in enumerate(data.REGIONS):
        _upsert(
            Region,
            "slug",
            {"slug": slug, "name": name, "neighbourhood_name": hood, "position": pos},
        )
    db.session.flush()
    if with_delegations:
        for slug, name, _codes in data.DELEGATIONS:
            _upsert(Delegation, "slug", {"slug": slug, "name": name})
        db.session.flush()
    covering = {code: slug for slug, _n, codes in data.DELEGATIONS for code in codes}
    for code, name, region in data.COUNTRIES:
        if db.session.get(Country, code) is None:
            db.session.add(
                Country(
                    code=code,
                    name=name,
                    region_slug=region,
                    delegation_slug=covering.get(code) if with_delegations else None,
                )
            )
    for model, rows in (
        (Priority, data.PRIORITIES),
        (InputType, data.INPUT_TYPES),
        (Theme, data.THEMES),
        (Level, data.LEVELS),
        (Addressee, data.ADDRESSEES),
    ):
        for pos, (slug, name) in enumerate(rows):
            _upsert(model, "slug", {"slug": slug, "name": name, "position": pos})
    db.session.flush()


def priorities() -> list[Priority]:
    return list(db.session.scalars(select(Priority).order_by(Priority.position)))


def countries() -> list[Country]:
    return list(db.session.scalars(select(Country).order_by(Country.name)))


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.position)))


def input_types() -> list[InputType]:
    return list(db.session.scalars(select(InputType).order_by(InputType.position)))


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position)))


def levels() -> list[Level]:
    return list(db.session.scalars(select(Level).order_by(Level.position)))


def addressees() -> list[Addressee]:
    return list(db.session.scalars(select(Addressee).order_by(Addressee.position)))


def delegations() -> list[Delegation]:
    return list(db.session.scalars(select(Delegation).order_by(Delegation.name)))


def find_delegation(slug_or_country: str) -> Delegation | None:
    """A delegation by its slug, or by the ISO code of a country it covers."""
    found = db.session.get(Delegation, slug_or_country)
    if found is not None:
        return found
    country = db.session.get(Country, slug_or_country.upper())
    return country.delegation if country is not None else None
