"""Each account's time zone (users.time_zone): pages show times in it, UTC on hover.

Revision ID: 7d3f1c2a9b60
Revises: 5e7c1d0a9b42
Create Date: 2026-12-01 00:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7d3f1c2a9b60"
down_revision = "5e7c1d0a9b42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every existing account: its country's zone applies until it picks one.
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
