"""The digest's counts kept by the database: ``digest_counts`` and its triggers (bench B7).

The digest page summed seven ``GROUP BY``s over every forwarded input's index
entry (about 1 s a call at 100,000 inputs). ``digest_counts`` holds the
forwarded inputs grouped by the dimensions the digest filters on and shows,
one kind of row per figure, and the number of distinct organisations per
consultation, priority and country as counts kept on each change; triggers on ``inputs``, ``input_countries``,
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
from dataclasses import dataclass
from datetime import date
from typing import Any

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


@dataclass(frozen=True)
class Kind:
    """One kind of row: which columns of the key it keeps, and how it is counted."""

    name: str
    priority: bool = True
    type: bool = False
    day: bool = False
    organisation: bool = False
    #: The link table whose rows it counts (its column is the ``item``), or None: the inputs.
    link: str | None = None
    #: Memberships only: the kind counting how many of them are not zero.
    distinct: str | None = None


#: (kind, the column of the link that becomes the item)
LINK_COLUMNS = {
    "input_countries": "country_code",
    "input_themes": "theme_slug",
    "recommendations": "addressee_slug",
}
KINDS = (
    Kind("input", type=True, day=True),
    Kind("country", link="input_countries"),
    Kind("theme", type=True, day=True, link="input_themes"),
    Kind("addressee", type=True, day=True, link="recommendations"),
    Kind("organisation", priority=False, organisation=True, distinct="organisations"),
    Kind("priority-organisation", organisation=True, distinct="priority-organisations"),
    Kind(
        "country-organisation",
        organisation=True,
        link="input_countries",
        distinct="country-organisations",
    ),
)

_KEY = "kind, consultation_id, priority_slug, type_slug, forwarded_on, organisation_id, item"
_COLUMNS = _KEY.split(", ")
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


class _Sql:
    """The statements, in the dialect's spelling of the few values they need."""

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

    def key(self, kind: Kind, row: str, item: str, everywhere: bool = False) -> list[str]:
        """The key of ``kind`` for the input ``row`` (an alias, NEW or OLD) and ``item``;
        with ``everywhere``, the key kept for all consultations together."""
        return [
            f"'{kind.name}'",
            self.nil if everywhere else f"{row}.consultation_id",
            f"coalesce({row}.priority_slug, '')" if kind.priority else "''",
            f"coalesce({row}.type_slug, '')" if kind.type else "''",
            self.day(row) if kind.day else self.no_day,
            f"{row}.organisation_id" if kind.organisation else self.nil,
            item if kind.link else NO_ITEM,
        ]

    def consultations(self, kind: Kind) -> tuple[bool, ...]:
        """Per consultation, and for memberships also for all of them together."""
        return (False, True) if kind.distinct else (False,)


def _counted(row: str) -> str:
    statuses = "'forwarded', 'used'"  # the forwarded statuses, as of this revision
    return f"{row}.status IN ({statuses}) AND {row}.merged_into_id IS NULL"


def _upsert(select_sql: str) -> str:
    return (
        f"INSERT INTO digest_counts ({_KEY}, n) {select_sql} "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET n = digest_counts.n + excluded.n"
    )


def _moves(  # noqa: PLR0913 (the parts of one statement)
    sql: _Sql, kind: Kind, row: str, item: str, source: str, sign: int, grouped: bool = False
) -> list[str]:
    """Add (``sign`` 1) or take off (-1) what the input ``row`` counts for in ``kind``.

    ``source`` is the statement's FROM and WHERE: the rows that count (the
    input's links, or the link's input), ``row`` and ``item`` name their columns;
    ``grouped`` when several rows may share a key (an input's recommendations to
    one addressee).
    A membership is followed by its distinct count: one more where it is now 1
    (it was 0), one fewer where it is now 0.
    """
    amount = f"{sign} * count(*)" if grouped else str(sign)
    group = f" GROUP BY {item}" if grouped else ""
    statements = []
    for everywhere in sql.consultations(kind):
        key = sql.key(kind, row, item, everywhere)
        statements.append(_upsert(f"SELECT {', '.join(key)}, {amount} {source}{group}"))
        if kind.distinct:
            member = " AND ".join(f"m.{c} = {v}" for c, v in zip(_COLUMNS, key, strict=True))
            distinct = [f"'{kind.distinct}'", *key[1:5], sql.nil, key[6]]
            statements.append(
                _upsert(
                    f"SELECT {', '.join(distinct)}, {sign} {source} "  # noqa: S608
                    f"AND EXISTS (SELECT 1 FROM digest_counts m WHERE {member} "
                    f"AND m.n = {1 if sign > 0 else 0})"
                )
            )
    return statements


def _input_statements(sql: _Sql, row: str, sign: int) -> list[str]:
    """Everything the input ``row`` counts for, in every kind."""
    counted = _counted(row)
    statements: list[str] = []
    for kind in KINDS:
        if kind.link is None:
            statements += _moves(sql, kind, row, NO_ITEM, f"WHERE {counted}", sign)
        else:
            column = f"l.{LINK_COLUMNS[kind.link]}"
            source = f"FROM {kind.link} l WHERE l.input_id = {row}.id AND {counted}"
            grouped = kind.link == "recommendations"
            statements += _moves(sql, kind, row, column, source, sign, grouped)
    return statements


def _link_statements(sql: _Sql, table: str, row: str, sign: int) -> list[str]:
    """What the link ``row`` of ``table`` counts for, if its input is counted."""
    item = f"{row}.{LINK_COLUMNS[table]}"
    source = f"FROM inputs i WHERE i.id = {row}.input_id AND {_counted('i')}"
    statements: list[str] = []
    for kind in KINDS:
        if kind.link == table:
            statements += _moves(sql, kind, "i", item, source, sign)
    return statements


#: PostgreSQL: set to ``deferred`` for one transaction (:func:`defer`), the triggers
#: stand aside and :func:`add_inputs` counts the transaction's inputs in bulk.
SETTING = "consult.digest_counts"
_FOLLOWING = f"current_setting('{SETTING}', true) IS DISTINCT FROM 'deferred'"


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
        f"FOR EACH ROW WHEN ({_counted('NEW')} AND {_FOLLOWING}) "
        "EXECUTE FUNCTION digest_counts_follow_inputs()",
        "DROP TRIGGER IF EXISTS inputs_digest_counts_delete ON inputs",
        # Before: the cascade has not yet removed the input's links.
        "CREATE TRIGGER inputs_digest_counts_delete BEFORE DELETE ON inputs "
        f"FOR EACH ROW WHEN ({_counted('OLD')}) EXECUTE FUNCTION digest_counts_follow_inputs()",
        "DROP TRIGGER IF EXISTS inputs_digest_counts_update ON inputs",
        f"CREATE TRIGGER inputs_digest_counts_update AFTER UPDATE OF {', '.join(_WATCHED)} "
        f"ON inputs FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION digest_counts_follow_inputs()",
    ]
    for table, column in LINK_COLUMNS.items():
        old = ";\n        ".join(_link_statements(sql, table, "OLD", -1))
        new = ";\n        ".join(_link_statements(sql, table, "NEW", 1))
        ddl += [
            f"""
CREATE OR REPLACE FUNCTION digest_counts_follow_{table}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {old};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {new};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS {table}_digest_counts ON {table}",
            f"CREATE TRIGGER {table}_digest_counts AFTER INSERT ON {table} "
            f"FOR EACH ROW WHEN ({_FOLLOWING}) EXECUTE FUNCTION digest_counts_follow_{table}()",
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_delete ON {table}",
            f"CREATE TRIGGER {table}_digest_counts_delete AFTER DELETE ON {table} "
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
    for table, column in LINK_COLUMNS.items():
        old = _link_statements(sql, table, "OLD", -1)
        new = _link_statements(sql, table, "NEW", 1)
        ddl += [
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_insert",
            f"CREATE TRIGGER {table}_digest_counts_insert AFTER INSERT ON {table} " + body(*new),
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_delete",
            f"CREATE TRIGGER {table}_digest_counts_delete AFTER DELETE ON {table} " + body(*old),
            f"DROP TRIGGER IF EXISTS {table}_digest_counts_update",
            f"CREATE TRIGGER {table}_digest_counts_update AFTER UPDATE OF input_id, {column} "
            f"ON {table} WHEN OLD.input_id IS NOT NEW.input_id OR OLD.{column} IS NOT NEW.{column} "
            + body(*old, *new),
        ]
    return ddl


def _install_triggers(connection: Connection) -> None:
    """Create (or replace) the triggers that keep ``digest_counts`` in step."""
    ddl = _postgresql_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl()
    for statement in ddl:
        connection.exec_driver_sql(statement)


def _fill(connection: Connection, input_ids: list[uuid.UUID] | None = None) -> None:
    """Add the counted inputs (all, or those of ``input_ids``) in bulk.

    For a membership, first one more organisation for each of the batch's
    memberships that is not yet counted (absent or 0), then the memberships
    themselves: the same transitions the triggers follow, one statement each.
    """
    sql = _Sql(connection.dialect.name)
    parameters = None if input_ids is None else {"ids": input_ids}
    for kind in KINDS:
        source, item, where = "inputs i", NO_ITEM, _counted("i")
        if kind.link:
            source = f"{kind.link} l JOIN inputs i ON i.id = l.input_id"
            item = f"l.{LINK_COLUMNS[kind.link]}"
        if input_ids is not None:
            where += " AND i.id = ANY(%(ids)s)"
            where += " AND l.input_id = ANY(%(ids)s)" if kind.link else ""
        for everywhere in sql.consultations(kind):
            key = sql.key(kind, "i", item, everywhere)
            if kind.distinct:
                connection.exec_driver_sql(_new_members(sql, kind, key, source, where), parameters)
            varying = ", ".join(k for k in key if "." in k)  # PostgreSQL refuses constants
            connection.exec_driver_sql(
                _upsert(
                    f"SELECT {', '.join(key)}, count(*) "  # noqa: S608
                    f"FROM {source} WHERE {where} GROUP BY {varying}"
                ),
                parameters,
            )


def _new_members(sql: _Sql, kind: Kind, key: list[str], source: str, where: str) -> str:
    """One more organisation per membership among ``source`` that is not yet counted."""
    named = ", ".join(f"{value} AS {column}" for value, column in zip(key, _COLUMNS, strict=True))
    match = " AND ".join(f"m.{c} = b.{c}" for c in _COLUMNS)
    kept = "b.consultation_id, b.priority_slug, b.type_slug, b.forwarded_on"
    return _upsert(
        f"SELECT '{kind.distinct}', {kept}, {sql.nil}, b.item, count(*) "  # noqa: S608
        f"FROM (SELECT DISTINCT {named} FROM {source} WHERE {where}) b "
        f"WHERE NOT EXISTS (SELECT 1 FROM digest_counts m WHERE {match} AND m.n > 0) "
        f"GROUP BY {kept}, b.item"
    )


def _recount(connection: Connection) -> None:
    """Rebuild every row from the inputs (after a migration, a bulk load or a repair)."""
    connection.exec_driver_sql("DELETE FROM digest_counts")
    _fill(connection)


def _remove_triggers(connection: Connection) -> None:
    tables = ("inputs", *LINK_COLUMNS)
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
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("consultation_id", sa.Uuid(), nullable=False),
        sa.Column("priority_slug", sa.String(length=40), nullable=False),
        sa.Column("type_slug", sa.String(length=40), nullable=False),
        sa.Column("forwarded_on", sa.Date(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
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
