"""The digest's counts kept by the database: ``digest_counts`` and its triggers (bench B7).

The digest page summed seven ``GROUP BY``s over every forwarded input's index
entry (about 1 s a call at 100,000 inputs). ``digest_counts`` holds the
forwarded inputs grouped by the dimensions the digest filters on and shows,
one kind of row per figure; triggers on ``inputs``, ``input_countries``,
``input_themes`` and ``recommendations`` keep it in step in the same
transaction (consult/digest/counters.py explains the design). The table is
filled here once from the existing inputs.

Self-contained: the statements below are this revision's, copied from
consult/digest/counters.py, so that a later change to the module does not
change what this migration did.

Revision ID: 9c4b2e7d1f53
Revises: 7d3f1c2a9b60
Create Date: 2026-12-01 02:45:00
"""

import uuid
from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision = "9c4b2e7d1f53"
down_revision = "7d3f1c2a9b60"
branch_labels = None
depends_on = None

NO_DAY = date(1900, 1, 1)
NIL = uuid.UUID(int=0)
NO_ITEM = "''"

_KEY = "kind, consultation_id, priority_slug, type_slug, forwarded_on, organisation_id, item"
#: The columns of ``inputs`` whose change moves an input between keys.
_WATCHED = (
    "status",
    "merged_into_id",
    "consultation_id",
    "priority_slug",
    "type_slug",
    "forwarded_at",
    "organisation_id",
)
_LINKS = {  # link table: (kind, the column that becomes the item)
    "input_countries": ("country", "country_code"),
    "input_themes": ("theme", "theme_slug"),
    "recommendations": ("addressee", "addressee_slug"),
}


class _Sql:
    """The dialect's spelling of the few values the statements need."""

    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"
        nil = str(NIL) if self.postgresql else NIL.hex  # SQLAlchemy stores UUIDs as hex there
        self.nil = f"CAST('{nil}' AS uuid)" if self.postgresql else f"'{nil}'"
        self.no_day = f"DATE '{NO_DAY}'" if self.postgresql else f"'{NO_DAY}'"

    def day(self, row: str) -> str:
        cast = (
            f"CAST({row}.forwarded_at AS date)" if self.postgresql else f"date({row}.forwarded_at)"
        )
        return f"coalesce({cast}, {self.no_day})"

    def key(self, kind: str, row: str, item: str) -> list[str]:
        """The key of ``kind`` for the input ``row`` (an alias or NEW/OLD) and ``item``."""
        priority = f"coalesce({row}.priority_slug, '')"
        type_ = f"coalesce({row}.type_slug, '')"
        day = self.day(row)
        organisation = f"{row}.organisation_id"
        values = {
            "input": (type_, day, self.nil),
            "organisation": (type_, self.no_day, organisation),
            "country": ("''", self.no_day, organisation),
            "theme": (type_, day, self.nil),
            "addressee": (type_, day, self.nil),
        }[kind]
        return [f"'{kind}'", f"{row}.consultation_id", priority, *values, item]

    def columns(self, kind: str, row: str, item: str) -> str:
        return ", ".join(self.key(kind, row, item))


def _counted(row: str) -> str:
    statuses = "'forwarded', 'used'"  # the forwarded statuses, as of this revision
    return f"{row}.status IN ({statuses}) AND {row}.merged_into_id IS NULL"


def _upsert(select_sql: str) -> str:
    return (
        f"INSERT INTO digest_counts ({_KEY}, n) {select_sql} "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET n = digest_counts.n + excluded.n"
    )


def _input_statements(sql: _Sql, row: str, sign: int) -> list[str]:
    """Add (``sign`` 1) or take off (-1) everything the input ``row`` counts for."""
    counted = _counted(row)
    statements = [
        _upsert(f"SELECT {sql.columns(kind, row, NO_ITEM)}, {sign} WHERE {counted}")
        for kind in ("input", "organisation")
    ]
    for table, (kind, column) in _LINKS.items():
        grouped = table == "recommendations"  # several per addressee
        amount = f"{sign} * count(*)" if grouped else str(sign)
        statements.append(
            _upsert(
                f"SELECT {sql.columns(kind, row, f'l.{column}')}, {amount} "  # noqa: S608
                f"FROM {table} l WHERE l.input_id = {row}.id AND {counted}"
                + (f" GROUP BY l.{column}" if grouped else "")
            )
        )
    return statements


def _link_statement(sql: _Sql, table: str, row: str, sign: int) -> str:
    """Add or take off the link ``row`` of ``table`` if its input is counted."""
    kind, column = _LINKS[table]
    return _upsert(
        f"SELECT {sql.columns(kind, 'i', f'{row}.{column}')}, {sign} "  # noqa: S608
        f"FROM inputs i WHERE i.id = {row}.input_id AND {_counted('i')}"
    )


def _postgresql_ddl() -> list[str]:
    sql = _Sql("postgresql")
    old = ";\n        ".join(_input_statements(sql, "OLD", -1))
    new = ";\n        ".join(_input_statements(sql, "NEW", 1))
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    ddl = [
        f"""
CREATE OR REPLACE FUNCTION digest_counts_follow_inputs() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {old};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {new};
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS inputs_digest_counts ON inputs",
        "CREATE TRIGGER inputs_digest_counts AFTER INSERT ON inputs "
        f"FOR EACH ROW WHEN ({_counted('NEW')}) EXECUTE FUNCTION digest_counts_follow_inputs()",
        "DROP TRIGGER IF EXISTS inputs_digest_counts_delete ON inputs",
        # Before: the cascade has not yet removed the input's links.
        "CREATE TRIGGER inputs_digest_counts_delete BEFORE DELETE ON inputs "
        f"FOR EACH ROW WHEN ({_counted('OLD')}) EXECUTE FUNCTION digest_counts_follow_inputs()",
        "DROP TRIGGER IF EXISTS inputs_digest_counts_update ON inputs",
        f"CREATE TRIGGER inputs_digest_counts_update AFTER UPDATE OF {', '.join(_WATCHED)} "
        f"ON inputs FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION digest_counts_follow_inputs()",
    ]
    for table, (_kind, column) in _LINKS.items():
        ddl += [
            f"""
CREATE OR REPLACE FUNCTION digest_counts_follow_{table}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_link_statement(sql, table, "OLD", -1)};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {_link_statement(sql, table, "NEW", 1)};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS {table}_digest_counts ON {table}",
            f"CREATE TRIGGER {table}_digest_counts AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION digest_counts_follow_{table}()",
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_update ON {table}",
            f"CREATE TRIGGER {table}_digest_counts_update AFTER UPDATE OF input_id, {column} "
            f"ON {table} FOR EACH ROW WHEN (OLD.input_id IS DISTINCT FROM NEW.input_id "
            f"OR OLD.{column} IS DISTINCT FROM NEW.{column}) "
            f"EXECUTE FUNCTION digest_counts_follow_{table}()",
        ]
    return ddl


def _sqlite_ddl() -> list[str]:
    sql = _Sql("sqlite")

    def body(*statements: str) -> str:
        return "BEGIN " + "; ".join(statements) + "; END"

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _WATCHED)
    ddl = [
        "DROP TRIGGER IF EXISTS inputs_digest_counts_insert",
        "CREATE TRIGGER inputs_digest_counts_insert AFTER INSERT ON inputs "
        f"WHEN {_counted('NEW')} " + body(*_input_statements(sql, "NEW", 1)),
        "DROP TRIGGER IF EXISTS inputs_digest_counts_delete",
        "CREATE TRIGGER inputs_digest_counts_delete BEFORE DELETE ON inputs "
        f"WHEN {_counted('OLD')} " + body(*_input_statements(sql, "OLD", -1)),
        "DROP TRIGGER IF EXISTS inputs_digest_counts_update",
        f"CREATE TRIGGER inputs_digest_counts_update AFTER UPDATE OF {', '.join(_WATCHED)} "
        f"ON inputs WHEN {changed} "
        + body(*_input_statements(sql, "OLD", -1), *_input_statements(sql, "NEW", 1)),
    ]
    for table, (_kind, column) in _LINKS.items():
        ddl += [
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_insert",
            f"CREATE TRIGGER {table}_digest_counts_insert AFTER INSERT ON {table} "
            + body(_link_statement(sql, table, "NEW", 1)),
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_delete",
            f"CREATE TRIGGER {table}_digest_counts_delete AFTER DELETE ON {table} "
            + body(_link_statement(sql, table, "OLD", -1)),
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_update",
            f"CREATE TRIGGER {table}_digest_counts_update AFTER UPDATE OF input_id, {column} "
            f"ON {table} WHEN OLD.input_id IS NOT NEW.input_id OR OLD.{column} IS NOT NEW.{column} "
            + body(_link_statement(sql, table, "OLD", -1), _link_statement(sql, table, "NEW", 1)),
        ]
    return ddl


def _install_triggers(connection: Connection) -> None:
    """Create (or replace) the triggers that keep ``digest_counts`` in step."""
    ddl = _postgresql_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl()
    for statement in ddl:
        connection.exec_driver_sql(statement)


def _recount(connection: Connection) -> None:
    """Rebuild every row from the inputs (after a migration, a bulk load or a repair)."""
    sql = _Sql(connection.dialect.name)
    connection.exec_driver_sql("DELETE FROM digest_counts")
    counted = _counted("i")
    sources = [("input", "inputs i", NO_ITEM), ("organisation", "inputs i", NO_ITEM)]
    sources += [
        (kind, f"{table} l JOIN inputs i ON i.id = l.input_id", f"l.{column}")
        for table, (kind, column) in _LINKS.items()
    ]
    for kind, source, item in sources:
        key = sql.key(kind, "i", item)
        varying = ", ".join(k for k in key if "." in k)  # PostgreSQL refuses constants there
        connection.exec_driver_sql(
            f"INSERT INTO digest_counts ({_KEY}, n) SELECT {', '.join(key)}, count(*) "  # noqa: S608
            f"FROM {source} WHERE {counted} GROUP BY {varying}"
        )


def _remove_triggers(connection: Connection) -> None:
    tables = ("inputs", *_LINKS)
    if connection.dialect.name == "postgresql":
        for table in tables:
            for suffix in ("", "_delete", "_update"):
                connection.exec_driver_sql(
                    f"DROP TRIGGER IF EXISTS {table}_digest_counts{suffix} ON {table}"
                )
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS digest_counts_follow_{table}()")
    else:
        for table in tables:
            for suffix in ("insert", "delete", "update"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_digest_counts_{suffix}")


def upgrade() -> None:
    op.create_table(
        "digest_counts",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("priority_slug", sa.String(length=40), nullable=False),
        sa.Column("type_slug", sa.String(length=40), nullable=False),
        sa.Column("forwarded_on", sa.Date(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_digest_counts_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "kind",
            "consultation_id",
            "priority_slug",
            "type_slug",
            "forwarded_on",
            "organisation_id",
            "item",
            name=op.f("pk_digest_counts"),
        ),
    )
    connection = op.get_bind()
    _install_triggers(connection)
    _recount(connection)


def downgrade() -> None:
    _remove_triggers(op.get_bind())
    op.drop_table("digest_counts")
