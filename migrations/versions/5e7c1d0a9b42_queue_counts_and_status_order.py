"""Queue pages count from counters kept by the database, and read each status in order.

``queue_counts`` holds how many inputs sit in each (consultation, routing,
delegation, HQ-direct, status); triggers on ``inputs`` keep it in step in the
same transaction (consult/review/queue_counts.py), so a queue page no longer
counts its whole queue. It is filled once here from the existing inputs.
``ix_inputs_status_submitted`` lets the forwarded list read each of its two
statuses oldest first, whatever the routing, and
``ix_inputs_forwarded_at`` counts what was forwarded since HQ last looked.

The triggers are written out here as they were at this revision, not imported
from the module, so that replaying this migration later gives this schema
(tests/app/test_migrations.py checks that they match the module's). On SQLite,
a later batch migration that copies ``inputs`` into a new table drops its
triggers: such a migration must create them again.

Revision ID: 5e7c1d0a9b42
Revises: 5e7a1c3d9b20
Create Date: 2026-12-01 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5e7c1d0a9b42"
down_revision = "5e7a1c3d9b20"
branch_labels = None
depends_on = None

KEY = "consultation_id, routed_to, delegation_slug, is_hq_direct, status"
KEY_VALUES = (
    "inputs.consultation_id, coalesce(inputs.routed_to, ''), "
    "coalesce(inputs.delegation_slug, ''), inputs.is_hq_direct, inputs.status"
)

POSTGRESQL_TRIGGERS = [
    "\nCREATE OR REPLACE FUNCTION queue_counts_follow_inputs() RETURNS trigger AS $$\nBEGIN\n    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'draft' THEN\n        UPDATE queue_counts SET count = count - 1 WHERE consultation_id = OLD.consultation_id AND routed_to = coalesce(OLD.routed_to, '') AND delegation_slug = coalesce(OLD.delegation_slug, '') AND is_hq_direct = OLD.is_hq_direct AND status = OLD.status;\n    END IF;\n    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status <> 'draft' THEN\n        INSERT INTO queue_counts (consultation_id, routed_to, delegation_slug, is_hq_direct, status, count) VALUES (NEW.consultation_id, coalesce(NEW.routed_to, ''), coalesce(NEW.delegation_slug, ''), NEW.is_hq_direct, NEW.status, 1)\n        ON CONFLICT (consultation_id, routed_to, delegation_slug, is_hq_direct, status) DO UPDATE SET count = queue_counts.count + 1;\n    END IF;\n    RETURN NULL;\nEND\n$$ LANGUAGE plpgsql\n",
    "DROP TRIGGER IF EXISTS inputs_queue_counts ON inputs",
    "CREATE TRIGGER inputs_queue_counts AFTER INSERT OR DELETE ON inputs FOR EACH ROW EXECUTE FUNCTION queue_counts_follow_inputs()",
    "DROP TRIGGER IF EXISTS inputs_queue_counts_update ON inputs",
    "CREATE TRIGGER inputs_queue_counts_update AFTER UPDATE OF status, routed_to, delegation_slug, is_hq_direct, consultation_id ON inputs FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.routed_to IS DISTINCT FROM NEW.routed_to OR OLD.delegation_slug IS DISTINCT FROM NEW.delegation_slug OR OLD.is_hq_direct IS DISTINCT FROM NEW.is_hq_direct OR OLD.consultation_id IS DISTINCT FROM NEW.consultation_id) EXECUTE FUNCTION queue_counts_follow_inputs()",
]

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS inputs_queue_counts_insert",
    "CREATE TRIGGER inputs_queue_counts_insert AFTER INSERT ON inputs BEGIN INSERT OR IGNORE INTO queue_counts (consultation_id, routed_to, delegation_slug, is_hq_direct, status, count) SELECT NEW.consultation_id, coalesce(NEW.routed_to, ''), coalesce(NEW.delegation_slug, ''), NEW.is_hq_direct, NEW.status, 0 WHERE NEW.status <> 'draft'; UPDATE queue_counts SET count = count + 1 WHERE consultation_id = NEW.consultation_id AND routed_to = coalesce(NEW.routed_to, '') AND delegation_slug = coalesce(NEW.delegation_slug, '') AND is_hq_direct = NEW.is_hq_direct AND status = NEW.status AND NEW.status <> 'draft'; END",
    "DROP TRIGGER IF EXISTS inputs_queue_counts_delete",
    "CREATE TRIGGER inputs_queue_counts_delete AFTER DELETE ON inputs BEGIN UPDATE queue_counts SET count = count - 1 WHERE consultation_id = OLD.consultation_id AND routed_to = coalesce(OLD.routed_to, '') AND delegation_slug = coalesce(OLD.delegation_slug, '') AND is_hq_direct = OLD.is_hq_direct AND status = OLD.status AND OLD.status <> 'draft'; END",
    "DROP TRIGGER IF EXISTS inputs_queue_counts_update",
    "CREATE TRIGGER inputs_queue_counts_update AFTER UPDATE OF status, routed_to, delegation_slug, is_hq_direct, consultation_id ON inputs WHEN OLD.status IS NOT NEW.status OR OLD.routed_to IS NOT NEW.routed_to OR OLD.delegation_slug IS NOT NEW.delegation_slug OR OLD.is_hq_direct IS NOT NEW.is_hq_direct OR OLD.consultation_id IS NOT NEW.consultation_id BEGIN UPDATE queue_counts SET count = count - 1 WHERE consultation_id = OLD.consultation_id AND routed_to = coalesce(OLD.routed_to, '') AND delegation_slug = coalesce(OLD.delegation_slug, '') AND is_hq_direct = OLD.is_hq_direct AND status = OLD.status AND OLD.status <> 'draft'; INSERT OR IGNORE INTO queue_counts (consultation_id, routed_to, delegation_slug, is_hq_direct, status, count) SELECT NEW.consultation_id, coalesce(NEW.routed_to, ''), coalesce(NEW.delegation_slug, ''), NEW.is_hq_direct, NEW.status, 0 WHERE NEW.status <> 'draft'; UPDATE queue_counts SET count = count + 1 WHERE consultation_id = NEW.consultation_id AND routed_to = coalesce(NEW.routed_to, '') AND delegation_slug = coalesce(NEW.delegation_slug, '') AND is_hq_direct = NEW.is_hq_direct AND status = NEW.status AND NEW.status <> 'draft'; END",
]


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
    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql(
        f"INSERT INTO queue_counts ({KEY}, count) "  # noqa: S608 (constants)
        f"SELECT {KEY_VALUES}, count(*) FROM inputs WHERE inputs.status <> 'draft' "
        f"GROUP BY {KEY_VALUES}"
    )


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS inputs_queue_counts ON inputs")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS inputs_queue_counts_update ON inputs")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS queue_counts_follow_inputs()")
    else:
        for name in ("insert", "delete", "update"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS inputs_queue_counts_{name}")
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.drop_index("ix_inputs_forwarded_at")
        batch_op.drop_index("ix_inputs_status_submitted")
    op.drop_table("queue_counts")
