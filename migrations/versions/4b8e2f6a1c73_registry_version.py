"""Registered names are read once per change: ``registry_version`` and its triggers (bench B3).

Also an index on ``users.role``: each forward notifies HQ's analysts, found
among thousands of CSO members.

Every review decision read every organisation's and user's name, acronym and
email to look for identifiers: at 10,000 organisations, most of its time.
``registry_version`` holds one number that triggers on ``organisations`` and
``users`` replace whenever a name may have changed; a process keeps the names
while the number stays the same (consult/identifiers/known.py).

Self-contained: the statements below are this revision's, copied from
consult/identifiers/known.py, so that a later change to the module does not
change what this migration did.

Revision ID: 4b8e2f6a1c73
Revises: 9c4b2e7d1f53
Create Date: 2026-12-01 07:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "4b8e2f6a1c73"
down_revision = "9c4b2e7d1f53"
branch_labels = None
depends_on = None

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION registry_version_bump() RETURNS trigger AS $$\n"
    "BEGIN\n"
    "    UPDATE registry_version SET n = floor(random() * 9e18)::bigint WHERE id = 1;\n"
    "    RETURN NULL;\n"
    "END\n"
    "$$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS organisations_registry_version ON organisations",
    "CREATE TRIGGER organisations_registry_version AFTER INSERT OR DELETE OR UPDATE OF name, "
    "acronym, contact_email ON organisations FOR EACH STATEMENT "
    "EXECUTE FUNCTION registry_version_bump()",
    "DROP TRIGGER IF EXISTS users_registry_version ON users",
    "CREATE TRIGGER users_registry_version AFTER INSERT OR DELETE OR UPDATE OF email, full_name "
    "ON users FOR EACH STATEMENT EXECUTE FUNCTION registry_version_bump()",
]

_BUMP = "UPDATE registry_version SET n = random() WHERE id = 1;"
SQLITE = [
    f"CREATE TRIGGER {table}_registry_version_{name} AFTER {operation} ON {table} "
    f"BEGIN {_BUMP} END"
    for table, columns in (
        ("organisations", "name, acronym, contact_email"),
        ("users", "email, full_name"),
    )
    for name, operation in (
        ("insert", "INSERT"),
        ("delete", "DELETE"),
        ("update", f"UPDATE OF {columns}"),
    )
]


def upgrade() -> None:
    op.create_table(
        "registry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_version")),
    )
    op.execute(
        sa.text("INSERT INTO registry_version (id, n) VALUES (1, :n)").bindparams(
            n=secrets.randbelow(2**62)
        )
    )
    # Each forward and release finds the few HQ analysts among thousands of CSO members.
    op.create_index(op.f("ix_users_role"), "users", ["role"], unique=False)
    connection = op.get_bind()
    for statement in POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS users_registry_version ON users")
        connection.exec_driver_sql(
            "DROP TRIGGER IF EXISTS organisations_registry_version ON organisations"
        )
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS registry_version_bump()")
    else:
        for table in ("organisations", "users"):
            for name in ("insert", "delete", "update"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_registry_version_{name}")
    op.drop_index(op.f("ix_users_role"), table_name="users")
    op.drop_table("registry_version")
