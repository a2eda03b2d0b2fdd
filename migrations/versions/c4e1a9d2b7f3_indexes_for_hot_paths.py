"""Indexes for the hot paths: HQ's queue, the forwarded list and digest aggregates.

The delegations' queue already has ix_inputs_queue (routed_to, delegation_slug,
status, submitted_at, id). HQ's queue does not constrain the delegation, the
forwarded list not the routing, and digests filter and count the forwarded
inputs: each gets an index it can walk in order or answer from alone.

Revision ID: c4e1a9d2b7f3
Revises: 7d2e5b9c4a10
Create Date: 2026-11-30 19:25:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e1a9d2b7f3"
down_revision = "7d2e5b9c4a10"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_inputs_hq_queue": ["routed_to", "status", "submitted_at", "id"],
    "ix_inputs_submitted": ["submitted_at", "id"],
    "ix_inputs_digest": [
        "status",
        "consultation_id",
        "merged_into_id",
        "priority_slug",
        "type_slug",
        "forwarded_at",
        "organisation_id",
        "id",
    ],
}


def upgrade():
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        for name in reversed(INDEXES):
            batch_op.drop_index(name)
