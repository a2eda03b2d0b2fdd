"""Administration: accounts, organisations, delegations, consultations, reference data, audit.

Every function takes the acting admin, enforces the rules, records an audit
event and flushes; the view commits. Refusals raise :class:`AdminError`,
whose ``fields`` map a form field to the messages about it.

This module gathers the public names of the topic modules, so callers import
one place (``from consult.admin import services``):

- :mod:`consult.admin.validation`: :class:`AdminError`, the slug rule
- :mod:`consult.admin.paging`: :class:`Page`, ``PAGE_SIZE``
- :mod:`consult.admin.dashboard`: the numbers on the index page
- :mod:`consult.admin.users`: accounts
- :mod:`consult.admin.organisations`: organisations and their verification
- :mod:`consult.admin.delegations`: delegations and country coverage
- :mod:`consult.admin.consultations`: consultations and guiding questions
- :mod:`consult.admin.reference`: the editable reference lists
- :mod:`consult.admin.audit_log`: reading the audit log
"""

from __future__ import annotations

from consult.admin.audit_log import (
    AUDIT_PAGE_SIZE,
    HIDDEN_DETAIL_KEYS,
    AuditFilters,
    audit_page,
    event_lines,
    visible_detail,
)
from consult.admin.consultations import (
    ConsultationData,
    LanguageText,
    create_consultation,
    questions_by_priority,
    texts_for_form,
    update_consultation,
)
from consult.admin.dashboard import dashboard_counts
from consult.admin.delegations import create_delegation, set_coverage, update_delegation
from consult.admin.organisations import (
    create_organisation,
    set_organisation_verified,
    update_organisation,
)
from consult.admin.paging import PAGE_SIZE, Page
from consult.admin.reference import (
    ReferenceKind,
    add_reference,
    reference_entries,
    reference_kinds,
    rename_reference,
)
from consult.admin.users import UserFilters, create_account, set_user_active, user_page
from consult.admin.validation import SLUG_RE, AdminError

__all__ = [
    "AUDIT_PAGE_SIZE",
    "HIDDEN_DETAIL_KEYS",
    "PAGE_SIZE",
    "SLUG_RE",
    "AdminError",
    "AuditFilters",
    "ConsultationData",
    "LanguageText",
    "Page",
    "ReferenceKind",
    "UserFilters",
    "add_reference",
    "audit_page",
    "event_lines",
    "create_account",
    "create_consultation",
    "create_delegation",
    "create_organisation",
    "dashboard_counts",
    "questions_by_priority",
    "reference_entries",
    "reference_kinds",
    "rename_reference",
    "set_coverage",
    "set_organisation_verified",
    "set_user_active",
    "texts_for_form",
    "update_consultation",
    "update_delegation",
    "update_organisation",
    "user_page",
    "visible_detail",
]
