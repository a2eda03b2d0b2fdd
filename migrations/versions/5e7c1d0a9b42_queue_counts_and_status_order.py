"""Queue pages count from counters kept by the database, and read each status in order.

``queue_counts`` holds how many inputs sit in each (consultation, routing,
delegation, HQ-direct, status); triggers on ``inputs`` keep it in step in the
same transaction (consult/review/queue_counts.py), so a queue page no longer
counts its whole queue. It is filled once here from the existing inputs.
``ix_inputs_status_submitted`` lets the forwarded list read each of its two
statuses oldest first, whatever the routing, and
``ix_inputs_forwarded_at`` counts what was forwarded since HQ last looked.

Revision ID: 5e7c1d0a9b42
Revises: 5e7a1c3d9b20
Create Date: 2026-12-01 01:00:00
"""

import sqlalchemy as sa
from alembic import op

from consult.review.queue_counts import install_triggers, recount, remove_triggers

revision = "5e7c1d0a9b42"
down_revision = "5e7a1c3d9b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_counts",
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("routed_to", sa.String(length=20), nullable=False),
        sa.Column("delegation_slug", sa.String(length=64), nullable=False),
        sa.Column("is_hq_direct", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_queue_counts_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "consultation_id",
            "routed_to",
            "delegation_slug",
            "is_hq_direct",
            "status",
            name=op.f("pk_queue_counts"),
        ),
    )
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inputs_status_submitted", ["status", "submitted_at", "id"], unique=False
        )
        batch_op.create_index("ix_inputs_forwarded_at", ["forwarded_at"], unique=False)
    connection = op.get_bind()
    install_triggers(connection)
    recount(connection)


def downgrade() -> None:
    remove_triggers(op.get_bind())
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.drop_index("ix_inputs_forwarded_at")
        batch_op.drop_index("ix_inputs_status_submitted")
    op.drop_table("queue_counts")
