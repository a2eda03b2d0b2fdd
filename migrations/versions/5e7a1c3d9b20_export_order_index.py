"""Digest exports read each priority's inputs in id order from an index.

An export streams the forwarded inputs priority by priority, ordered by id
(random, so the order reveals nothing). With ix_inputs_export the database
walks that order instead of sorting every input of a priority first: the
first rows leave at once, whatever the size (bench B4, first byte), and no
sort spills to disk. PostgreSQL only: SQLite's planner would walk it for
every GROUP BY priority of the digest's counts and read each input's row.

Revision ID: 5e7a1c3d9b20
Revises: 02eeeb3fe10f
Create Date: 2026-12-01 01:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a1c3d9b20"
down_revision = "02eeeb3fe10f"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_inputs_export", "inputs", ["priority_slug", "id"], unique=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_inputs_export", table_name="inputs")
