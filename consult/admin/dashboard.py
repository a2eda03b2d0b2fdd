"""The numbers on the administration index."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.organisations.models import Organisation
from consult.reference.models import Country, Delegation


def dashboard_counts() -> dict[str, int]:
    """Numbers shown on the administration index."""

    def count(stmt: Any) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "users": count(select(func.count()).select_from(User)),
        "inactive_users": count(
            select(func.count()).select_from(User).where(User.active.is_(False))
        ),
        "organisations": count(select(func.count()).select_from(Organisation)),
        "unverified_organisations": count(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.is_verified.is_(False))
        ),
        "delegations": count(select(func.count()).select_from(Delegation)),
        "countries_to_hq": count(
            select(func.count()).select_from(Country).where(Country.delegation_slug.is_(None))
        ),
        "consultations": count(select(func.count()).select_from(Consultation)),
        "inputs": count(select(func.count()).select_from(Input)),
        "audit_events": count(select(func.count()).select_from(AuditEvent)),
    }
