"""The digest's counts, kept up to date by the database (bench B7).

The digest page shows totals, distinct organisations, the priority × country
matrix (inputs and distinct organisations per cell) and counts per priority,
type, theme and recommendation addressee. Counting them with ``GROUP BY``
over the forwarded inputs costs time in proportion to the inputs: about a
second a call at 100,000, ten at a million. Instead ``digest_counts`` holds
the forwarded inputs (not merged duplicates) grouped by the dimensions the
digest filters on and shows, one *kind* of row per figure (:data:`KINDS`).

**Sums.** ``input``, ``country``, ``theme`` and ``addressee`` rows count inputs
(recommendations for ``addressee``) per key; a figure is their sum over the
rows the filters select.

**Distinct organisations** cannot be summed: an organisation with inputs in
two cells counts once in their total. Summing over rows keyed by organisation
works, but those hold about one row per (priority, country, organisation):
200,000 at 1,000,000 inputs, 0.3 s to count on the bench machine. So each
``…-organisation`` kind keeps that membership (how many inputs of the
organisation are in the key), and its ``…-organisations`` kind how many
memberships are not zero: the trigger that takes a membership from 0 to 1
adds one, from 1 to 0 takes one off. A page reads a few hundred rows. These
kinds are kept per consultation and once more for all consultations together
(consultation :data:`NIL`), since distinct counts of two consultations do not
add up either.

Columns a kind does not keep hold a fixed value: ``''``, the nil UUID, or
:data:`NO_DAY` (also the day of a forwarded input without ``forwarded_at``).
A missing priority or type is stored as ``''``, so the key stays unique.

Triggers on ``inputs`` and on its three link tables (countries, themes,
recommendations) move the numbers in the same transaction as the row they
follow, on PostgreSQL (PL/pgSQL functions) and SQLite alike, so every writer
is covered (the ORM, ``COPY``, purges) and a rolled-back change rolls its
counts back. ``generate-load`` on PostgreSQL defers them for each batch and
counts the batch in bulk in the same transaction (:func:`defer`,
:func:`add_inputs`). An input's rows are taken off *before* it is
deleted, while its countries, themes and recommendations still exist; the
cascade that deletes them then finds no counted input and changes nothing.
Numbers may fall to 0 and stay as rows; readers skip them (``n > 0``).

``consult.digest.query.aggregate`` reads these rows for the filters they can
answer (:data:`KEEPS`) and falls back to the ``GROUP BY`` over the inputs,
figure by figure, for the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.inputs.states import FORWARDED_STATUSES

#: The day of rows that do not keep one (and of inputs forwarded without a date).
NO_DAY = date(1900, 1, 1)
#: The organisation of rows that keep none, and the consultation of rows kept
#: for all consultations together.
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

#: The kinds a page reads for all consultations at once from their NIL rows.
EVERYWHERE = frozenset(kind.distinct for kind in KINDS if kind.distinct)
#: The filters each figure's rows can answer; any other set filter means GROUP BY.
_SUMS = frozenset({"consultation", "priority", "type", "since", "until"})
KEEPS: dict[str, frozenset[str]] = {
    "input": _SUMS,
    "theme": _SUMS,
    "addressee": _SUMS,
    "country": frozenset({"consultation", "priority"}),
    "organisations": frozenset({"consultation", "priority"}),
    "priority-organisations": frozenset({"consultation", "priority"}),
    "country-organisations": frozenset({"consultation", "priority"}),
}


class DigestCount(db.Model):
    """How many forwarded inputs (or recommendations) share one key of one kind."""

    __tablename__ = "digest_counts"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    #: No foreign key: :data:`NIL` stands for all consultations.
    consultation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    priority_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    type_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    forwarded_on: Mapped[date] = mapped_column(Date, primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


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
    statuses = ", ".join(f"'{s}'" for s in sorted(str(s) for s in FORWARDED_STATUSES))
    return f"{row}.status IN ({statuses}) AND {row}.merged_into_id IS NULL"


def _upsert(select_sql: str) -> str:
    return (
        f"INSERT INTO digest_counts ({_KEY}, n) {select_sql} "  # nosec B608 (constants)
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
                    f"SELECT {', '.join(distinct)}, {sign} {source} "  # noqa: S608  # nosec B608
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


def _plpgsql_function(name: str, old: str, new: str, *, returns_old_on_delete: bool = False) -> str:
    """A trigger function that takes ``old`` off and adds ``new`` as the operation asks."""
    on_delete = (
        """
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;"""
        if returns_old_on_delete
        else ""
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {old};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {new};
    END IF;{on_delete}
    RETURN NULL;
END
$$ LANGUAGE plpgsql"""


def _postgresql_ddl() -> list[str]:
    sql = _Sql("postgresql")
    old = ";\n        ".join(_input_statements(sql, "OLD", -1))
    new = ";\n        ".join(_input_statements(sql, "NEW", 1))
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    ddl = [
        _plpgsql_function("digest_counts_follow_inputs", old, new, returns_old_on_delete=True),
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
            _plpgsql_function(f"digest_counts_follow_{table}", old, new),
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


def install_triggers(connection: Connection) -> None:
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
                    f"SELECT {', '.join(key)}, count(*) "  # noqa: S608  # nosec B608
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
        f"SELECT '{kind.distinct}', {kept}, {sql.nil}, b.item, count(*) "  # noqa: S608  # nosec B608
        f"FROM (SELECT DISTINCT {named} FROM {source} WHERE {where}) b "
        f"WHERE NOT EXISTS (SELECT 1 FROM digest_counts m WHERE {match} AND m.n > 0) "
        f"GROUP BY {kept}, b.item"
    )


def recount(connection: Connection) -> None:
    """Rebuild every row from the inputs (after a migration, a bulk load or a repair)."""
    connection.exec_driver_sql("DELETE FROM digest_counts")
    _fill(connection)


def defer(connection: Connection) -> bool:
    """Let the triggers stand aside until the transaction ends (PostgreSQL only).

    For bulk loads of new inputs (``generate-load``): one trigger call per row
    and link made loading 100,000 inputs more than twice as slow. The caller must
    count what it wrote with :func:`add_inputs` before it commits.
    """
    if connection.dialect.name != "postgresql":
        return False
    connection.exec_driver_sql(f"SET LOCAL {SETTING} = 'deferred'")
    return True


def add_inputs(connection: Connection, input_ids: list[uuid.UUID]) -> None:
    """Count new inputs written while the triggers were deferred (PostgreSQL).

    The statements find the batch by primary key only if the planner knows
    the tables are large: a bulk load must ``ANALYZE`` them as they grow.
    """
    _fill(connection, input_ids)
    connection.exec_driver_sql(f"RESET {SETTING}")


def remove_triggers(connection: Connection) -> None:
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


@event.listens_for(db.metadata, "after_create")
def _triggers_with_the_schema(_metadata: Any, connection: Connection, **_kw: Any) -> None:
    """``create_all`` (tests, ``make run``'s first start) gets the triggers too."""
    install_triggers(connection)
