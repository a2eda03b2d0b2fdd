"""Organisations get an optional acronym; moderators' dismissed findings are kept.

The acronym ("KYSO") is matched in texts as written, like the name. A finding
dismissal stores a hash of the finding, never its text.

Revision ID: b8649b492e4b
Revises: c4e1a9d2b7f3
Create Date: 2026-11-30 18:49:24.758144
"""

import sqlalchemy as sa
from alembic import op

revision = "b8649b492e4b"
down_revision = "c4e1a9d2b7f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finding_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("input_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("dismissed_by_id", sa.Uuid(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dismissed_by_id"],
            ["users.id"],
            name=op.f("fk_finding_dismissals_dismissed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["inputs.id"],
            name=op.f("fk_finding_dismissals_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_dismissals")),
        sa.UniqueConstraint(
            "input_id", "field", "fingerprint", name=op.f("uq_finding_dismissals_input_id")
        ),
    )
    with op.batch_alter_table("finding_dismissals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_dismissals_input_id"), ["input_id"], unique=False
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acronym", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("acronym")
    with op.batch_alter_table("finding_dismissals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_dismissals_input_id"))
    op.drop_table("finding_dismissals")
