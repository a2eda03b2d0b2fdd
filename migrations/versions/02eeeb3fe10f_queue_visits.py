"""When each EU staff member last looked at each of their queues ("new since your last visit").

Revision ID: 02eeeb3fe10f
Revises: 1ae8a28d5a61
Create Date: 2026-11-30 22:04:05.831699
"""

import sqlalchemy as sa
from alembic import op

revision = "02eeeb3fe10f"
down_revision = "1ae8a28d5a61"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_visits",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_queue_visits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_queue_visits")),
    )


def downgrade() -> None:
    op.drop_table("queue_visits")
