"""Reading the audit log (itself recorded), without anything address-like."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from consult.admin.paging import PAGE_SIZE, Page
from consult.audit.models import AuditEvent
from consult.audit.services import record
from consult.auth.models import User, normalise_email
from consult.extensions import db

#: Keys never shown from an audit event's detail, should one ever carry them.
HIDDEN_DETAIL_KEYS = frozenset({"ip", "ip_address", "remote_addr", "address", "user_agent"})


@dataclass
class AuditFilters:
    action: str = ""
    actor_email: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filters as recorded in the audit event of viewing the log."""
        return {
            key: str(value)
            for key, value in (
                ("action", self.action),
                ("actor_email", self.actor_email),
                ("object_id", self.object_id),
                ("since", self.since),
                ("until", self.until),
            )
            if value
        }


def audit_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def audit_page(
    actor: User, filters: AuditFilters, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Audit events matching ``filters``, newest first, ``limit`` at a time.

    Paged by keyset on the event id (ids grow with time), so a deep page costs
    what the first one does. Looking at the log is itself recorded.
    """
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.actor_email:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email.contains(normalise_email(filters.actor_email), autoescape=True)
        )
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.since:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min)
        stmt = stmt.where(AuditEvent.created_at < end)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    next_cursor = str(rows[limit - 1].id) if len(rows) > limit else None
    record("audit_log.viewed", actor, object_type="audit_events", filters=filters.as_detail())
    db.session.flush()
    return Page(rows[:limit], next_cursor)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={_shown(v)}"
            for k, v in sorted(value.items())
            if k.lower() not in HIDDEN_DETAIL_KEYS and v is not None
        )
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def visible_detail(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's detail as (key, value) pairs, without anything address-like."""
    detail = event.detail or {}
    return [
        (key, _shown(value))
        for key, value in sorted(detail.items())
        if key.lower() not in HIDDEN_DETAIL_KEYS and value is not None
    ]
