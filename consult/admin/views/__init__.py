"""The administration area: users, organisations, delegations, consultations,
reference data and the audit log. Views parse, call ``consult.admin.services``,
commit and render.

The blueprint and the helpers its pages share are in :mod:`.common`;
importing the other modules registers their routes on it.
"""

from consult.admin.views import (
    audit_log,
    consultations,
    dashboard,
    delegations,
    organisations,
    reference,
    users,
)
from consult.admin.views.common import bp

__all__ = [
    "audit_log",
    "bp",
    "consultations",
    "dashboard",
    "delegations",
    "organisations",
    "reference",
    "users",
]
