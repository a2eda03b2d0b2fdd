"""Creating and changing organisations."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.errors import DomainError
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference.models import Country

NAME_MAX = 200
EMAIL_MAX = 254


class OrganisationError(DomainError):
    """An organisation request that cannot be carried out, with a message for a person.

    ``field`` names the form field the message is about (name, countries,
    contact_email), when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _clean_name(name: str, *, current: Organisation | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise OrganisationError("The organisation needs a name.", "name")
    if len(name) > NAME_MAX:
        raise OrganisationError(
            f"The organisation's name is longer than {NAME_MAX} characters.", "name"
        )
    same = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if same is not None and same is not current:
        raise OrganisationError(f"An organisation named {name!r} already exists.", "name")
    return name


def _clean_email(contact_email: str) -> str:
    contact_email = (contact_email or "").strip().lower()
    local, _at, domain = contact_email.partition("@")
    if not local or not domain or len(contact_email) > EMAIL_MAX or " " in contact_email:
        raise OrganisationError(f"{contact_email!r} is not an email address.", "contact_email")
    return contact_email


def _countries(country_codes: list[str]) -> list[Country]:
    countries: list[Country] = []
    for code in country_codes:
        country = db.session.get(Country, code.strip().upper())
        if country is None:
            valid = ", ".join(c.code for c in db.session.scalars(select(Country)))
            raise OrganisationError(
                f"Unknown country code {code!r}; use one of: {valid}.", "countries"
            )
        if country not in countries:
            countries.append(country)
    if not countries:
        raise OrganisationError("Give at least one country of operation.", "countries")
    return countries


def create_organisation(
    name: str, country_codes: list[str], contact_email: str, *, verified: bool = False
) -> Organisation:
    name = _clean_name(name)
    contact_email = _clean_email(contact_email)
    countries = _countries(country_codes)
    org = Organisation(
        name=name, contact_email=contact_email, is_verified=verified, countries=countries
    )
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(
    org: Organisation, name: str, country_codes: list[str], contact_email: str
) -> list[str]:
    """Change an organisation's name, countries and contact email.

    Returns the names of the fields that changed (for the audit log); nothing
    is changed when any value is refused.
    """
    name = _clean_name(name, current=org)
    contact_email = _clean_email(contact_email)
    countries = _countries(country_codes)
    changed: list[str] = []
    if org.name != name:
        org.name = name
        changed.append("name")
    if org.contact_email != contact_email:
        org.contact_email = contact_email
        changed.append("contact_email")
    if sorted(org.country_codes) != sorted(c.code for c in countries):
        org.countries = countries
        changed.append("countries")
    db.session.flush()
    return changed


def set_verified(org: Organisation, verified: bool) -> bool:
    """Verify or unverify an organisation; returns whether anything changed.

    Only a verified organisation's members may submit inputs.
    """
    if bool(org.is_verified) == verified:
        return False
    org.is_verified = verified
    db.session.flush()
    return True
