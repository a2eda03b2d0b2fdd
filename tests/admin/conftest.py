"""Fixtures of the administration tests."""

from __future__ import annotations

import pytest

from consult.audit.models import AuditEvent
from consult.extensions import db


def stored_audit_events(action: str) -> list[AuditEvent]:
    """The audit rows of ``action`` as stored now (the session's cache is dropped first)."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def audit_events():
    """``audit_events(action)``: the audit rows of ``action`` as stored now."""
    return stored_audit_events
