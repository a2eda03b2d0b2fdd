"""Helpers shared by the tests of the administration area."""

from __future__ import annotations

from flask import g

from consult.audit.models import AuditEvent
from consult.extensions import db


def audit_events(action: str) -> list[AuditEvent]:
    """The audit rows of ``action`` as stored now (the session's cache is dropped first)."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def forget_current_user() -> None:
    """Requests in a test share the test's app context, so Flask-Login's cached
    user (``g._login_user``) would leak from one test client to another."""
    g.pop("_login_user", None)
