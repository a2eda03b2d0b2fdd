"""Organisations as an admin manages them: create, edit, verify."""

from __future__ import annotations

from consult.admin.validation import AdminError, refuse
from consult.audit.services import record
from consult.auth.models import User
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import Organisation


def _org_error(exc: organisations.OrganisationError) -> AdminError:
    return refuse(exc.field or "name", str(exc))


def create_organisation(
    actor: User, name: str, country_codes: list[str], contact_email: str, verified: bool
) -> Organisation:
    try:
        org = organisations.create_organisation(
            name, country_codes, contact_email, verified=verified
        )
    except organisations.OrganisationError as exc:
        raise _org_error(exc) from exc
    record("organisation.created", actor, org, countries=org.country_codes, verified=verified)
    db.session.flush()
    return org


def update_organisation(
    actor: User, org: Organisation, name: str, country_codes: list[str], contact_email: str
) -> list[str]:
    try:
        changed = organisations.update_organisation(org, name, country_codes, contact_email)
    except organisations.OrganisationError as exc:
        raise _org_error(exc) from exc
    if changed:
        record("organisation.updated", actor, org, changed=changed)
        db.session.flush()
    return changed


def set_organisation_verified(actor: User, org: Organisation, verified: bool) -> bool:
    """Verification is what lets an organisation's members submit inputs."""
    changed = organisations.set_verified(org, verified)
    if changed:
        record("organisation.verified" if verified else "organisation.unverified", actor, org)
        db.session.flush()
    return changed
