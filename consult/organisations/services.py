"""Creating and changing organisations."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference.models import Country


class OrganisationError(ValueError):
    """An organisation request that cannot be carried out, with a message for a person."""


def create_organisation(
    name: str, country_codes: list[str], contact_email: str, *, verified: bool = False
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise OrganisationError("The organisation needs a name.")
    if len(name) > 200:
        raise OrganisationError("The organisation's name is longer than 200 characters.")
    if db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower())):
        raise OrganisationError(f"An organisation named {name!r} already exists.")
    contact_email = (contact_email or "").strip().lower()
    if "@" not in contact_email:
        raise OrganisationError(f"{contact_email!r} is not an email address.")
    countries = []
    for code in country_codes:
        country = db.session.get(Country, code.upper())
        if country is None:
            valid = ", ".join(c.code for c in db.session.scalars(select(Country)))
            raise OrganisationError(f"Unknown country code {code!r}; use one of: {valid}.")
        if country not in countries:
            countries.append(country)
    if not countries:
        raise OrganisationError("Give at least one country of operation.")
    org = Organisation(
        name=name, contact_email=contact_email, is_verified=verified, countries=countries
    )
    db.session.add(org)
    db.session.flush()
    return org
