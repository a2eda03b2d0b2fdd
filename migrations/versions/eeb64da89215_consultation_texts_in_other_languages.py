"""A consultation's title, description and guiding questions in other languages.

English stays on ``consultations`` and ``guiding_questions``; each other interface
language may add one row here (questions as JSON: priority slug -> list).

Revision ID: eeb64da89215
Revises: b8649b492e4b
Create Date: 2026-11-30 19:17:42.169999
"""

import sqlalchemy as sa
from alembic import op

revision = "eeb64da89215"
down_revision = "b8649b492e4b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultation_texts",
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_texts_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("consultation_id", "locale", name=op.f("pk_consultation_texts")),
    )


def downgrade() -> None:
    op.drop_table("consultation_texts")
