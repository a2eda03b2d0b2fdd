"""Audit action names are spelled one way: ``object.verb``, dotted.

Stored rows are renamed. Before this, ``input_withdrawn`` sat beside
``input.claimed``, and an attachment download was logged as both
``attachment_downloaded`` and ``attachment.downloaded``. A downgrade gives the
old names back, except that every download keeps the dotted name.

Revision ID: 7d2e5b9c4a10
Revises: 3c1f0e7a9b21
Create Date: 2026-11-30 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7d2e5b9c4a10"
down_revision = "3c1f0e7a9b21"
branch_labels = None
depends_on = None

#: Old name -> dotted name.
RENAMES = {
    "access_denied": "access.denied",
    "attachment_downloaded": "attachment.downloaded",
    "attachment_removed": "attachment.removed",
    "audit_log_viewed": "audit_log.viewed",
    "consultation_created": "consultation.created",
    "consultation_updated": "consultation.updated",
    "country_coverage_changed": "country.coverage_changed",
    "delegation_created": "delegation.created",
    "delegation_renamed": "delegation.renamed",
    "input_draft_created": "input.draft_created",
    "input_draft_deleted": "input.draft_deleted",
    "input_resubmitted": "input.resubmitted",
    "input_submitted": "input.submitted",
    "input_withdrawn": "input.withdrawn",
    "invitation_accepted": "invitation.accepted",
    "invitation_sent": "invitation.sent",
    "login": "auth.login",
    "login_failed": "auth.login_failed",
    "logout": "auth.logout",
    "organisation_created": "organisation.created",
    "organisation_updated": "organisation.updated",
    "organisation_verified": "organisation.verified",
    "organisation_unverified": "organisation.unverified",
    "password_changed": "password.changed",
    "password_reset": "password.reset",
    "password_reset_requested": "password.reset_requested",
    "recovery_code_used": "recovery_code.used",
    "recovery_codes_renewed": "recovery_codes.renewed",
    "reference_added": "reference.added",
    "reference_renamed": "reference.renamed",
    "two_factor_disabled": "two_factor.disabled",
    "two_factor_enabled": "two_factor.enabled",
    "two_factor_reset": "two_factor.reset",
    "user_created": "user.created",
    "user_reactivated": "user.reactivated",
    "user_deactivated": "user.deactivated",
}

_RENAME = sa.text("UPDATE audit_events SET action = :new WHERE action = :old")


def upgrade() -> None:
    for old, new in RENAMES.items():
        op.execute(_RENAME.bindparams(old=old, new=new))


def downgrade() -> None:
    for old, new in RENAMES.items():
        if new != "attachment.downloaded":
            op.execute(_RENAME.bindparams(old=new, new=old))
