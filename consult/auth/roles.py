"""Roles and what each may do: the one place where role rules live."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    CSO = "cso"
    MODERATOR = "moderator"
    HQ = "hq"
    ADMIN = "admin"


#: EU staff must use two-factor login and have a shorter idle timeout.
EU_STAFF = frozenset({Role.MODERATOR, Role.HQ, Role.ADMIN})

#: Actions and the roles allowed to perform them. Views and services ask
#: ``may(user, action)``; nothing else checks a role by name.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "submit_input": frozenset({Role.CSO}),
    "view_own_inputs": frozenset({Role.CSO}),
    # Export the organisation's data and ask for its erasure (org admins only, see views).
    "manage_organisation_data": frozenset({Role.CSO}),
    "review_delegation_queue": frozenset({Role.MODERATOR}),
    "review_hq_queue": frozenset({Role.HQ}),
    "review": frozenset({Role.MODERATOR, Role.HQ}),
    "record_hq_feedback": frozenset({Role.HQ}),
    "download_digest": frozenset({Role.HQ}),
    "publish_release": frozenset({Role.HQ}),
    "view_sealed_original": frozenset({Role.ADMIN}),
    "administer": frozenset({Role.ADMIN}),
    "view_audit_log": frozenset({Role.ADMIN}),
    "use_api": frozenset({Role.CSO, Role.MODERATOR, Role.HQ, Role.ADMIN}),
}

ROLE_LABELS = {
    Role.CSO: _l("CSO member"),
    Role.MODERATOR: _l("Delegation moderator"),
    Role.HQ: _l("HQ analyst"),
    Role.ADMIN: _l("Administrator"),
}
