"""Delegations and which countries each covers (a country with none goes to HQ)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from consult.admin.validation import check_slug, refuse
from consult.audit.services import record
from consult.auth.models import User
from consult.extensions import db
from consult.reference.models import Country, Delegation


def _delegation_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise refuse("name", _("Give the delegation a name."))
    if len(name) > 120:
        raise refuse("name", _("Use at most %(max)s characters.", max=120))
    return name


def _cover(actor: User, delegation: Delegation, codes: list[str]) -> list[str]:
    """Make ``delegation`` cover exactly ``codes``; returns the codes that moved.

    A country taken from the delegation is left with none: its inputs go to HQ.
    """
    wanted = {c.upper() for c in codes}
    countries = list(db.session.scalars(select(Country).order_by(Country.code)))
    unknown = wanted - {c.code for c in countries}
    if unknown:
        raise refuse(
            "countries", _("Unknown country: %(codes)s.", codes=", ".join(sorted(unknown)))
        )
    moved: list[str] = []
    for country in countries:
        before = country.delegation_slug
        if country.code in wanted:
            after = delegation.slug
        elif before == delegation.slug:
            after = None
        else:
            continue
        if before != after:
            country.delegation_slug = after
            moved.append(country.code)
            record(
                "country.coverage_changed",
                actor,
                object_type="countries",
                object_id=country.code,
                before=before,
                after=after,
            )
    return moved


def create_delegation(actor: User, slug: str, name: str, country_codes: list[str]) -> Delegation:
    slug = check_slug(slug)
    name = _delegation_name(name)
    if db.session.get(Delegation, slug) is not None:
        raise refuse("slug", _("A delegation with this slug already exists."))
    delegation = Delegation(slug=slug, name=name)
    db.session.add(delegation)
    db.session.flush()
    record(
        "delegation.created",
        actor,
        object_type="delegations",
        object_id=slug,
        countries=sorted(c.upper() for c in country_codes),
    )
    _cover(actor, delegation, country_codes)
    db.session.flush()
    return delegation


def update_delegation(
    actor: User, delegation: Delegation, name: str, country_codes: list[str]
) -> list[str]:
    """Rename a delegation and set the countries it covers; returns what changed."""
    name = _delegation_name(name)
    changed: list[str] = []
    if delegation.name_en != name:
        record(
            "delegation.renamed",
            actor,
            object_type="delegations",
            object_id=delegation.slug,
            before=delegation.name_en,
            after=name,
        )
        delegation.name = name
        changed.append("name")
    if _cover(actor, delegation, country_codes):
        changed.append("countries")
    db.session.flush()
    db.session.expire(delegation, ["countries"])
    return changed


def set_coverage(actor: User, assignments: dict[str, str | None]) -> list[str]:
    """Set the delegation of each country (None: no delegation, inputs go to HQ).

    Inputs already routed keep their routing; new submissions follow the new
    coverage. Returns the codes that changed.
    """
    moved: list[str] = []
    for code, slug in assignments.items():
        country = db.session.get(Country, code)
        if country is None:
            raise refuse(f"country__{code}", _("Unknown country."))
        slug = slug or None
        if slug is not None and db.session.get(Delegation, slug) is None:
            raise refuse(f"country__{code}", _("Unknown delegation."))
        if country.delegation_slug != slug:
            record(
                "country.coverage_changed",
                actor,
                object_type="countries",
                object_id=code,
                before=country.delegation_slug,
                after=slug,
            )
            country.delegation_slug = slug
            moved.append(code)
    db.session.flush()
    return moved
