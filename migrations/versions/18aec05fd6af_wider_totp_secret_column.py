"""Encrypted two-factor secrets need a wider column.

A Fernet token of a 32-character base32 secret is about 140 characters. Secrets
still stored in plain text keep working and are encrypted at the next code check
or by `flask --app consult rotate-totp-key`.

Revision ID: 18aec05fd6af
Revises: 80d6fddb4bd5
Create Date: 2026-11-28 18:34:24.463309
"""

import sqlalchemy as sa
from alembic import op

revision = "18aec05fd6af"
down_revision = "80d6fddb4bd5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.VARCHAR(length=64),
            type_=sa.String(length=255),
            existing_nullable=True,
        )


def downgrade() -> None:
    # Encrypted secrets do not fit in 64 characters: clear them first, the staff
    # concerned enrol again after the downgrade.
    op.execute(sa.text("UPDATE users SET totp_secret = NULL WHERE length(totp_secret) > 64"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=255),
            type_=sa.VARCHAR(length=64),
            existing_nullable=True,
        )
