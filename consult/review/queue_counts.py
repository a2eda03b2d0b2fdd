"""How many inputs each queue holds per status, kept up to date by the database.

A queue page shows its counts per status. Counting them with a ``GROUP BY``
over the queue on every page costs time in proportion to the queue: at a
million inputs, most of a page's time. Instead ``queue_counts`` holds one
row per (consultation, routing, delegation, HQ-direct, status) with the
number of inputs in it, and database triggers on ``inputs`` move the
numbers in the same transaction as the row they follow: an insert, a
delete, or an update of the status or the routing. Every writer is
covered, whether the ORM, a bulk ``COPY`` (``generate-load``) or a purge,
and a rolled-back change rolls its count back with it. Reading a queue's
counts sums a few dozen rows, whatever the number of inputs.

Drafts are not counted (no queue shows them), so saving a draft never
touches the counters. An empty routing or delegation is stored as ``''``,
not NULL, so the key stays unique.

The counters serve the queue's scope and its consultation filter. A page
filtered further (priority, country, type, theme, language, search) counts
the matching inputs with a ``GROUP BY`` over that, usually much smaller, set.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from consult.extensions import db
from consult.inputs.scope import works_at_hq, works_for_a_delegation
from consult.inputs.states import FORWARDED_STATUSES, RoutedTo


class QueueCount(db.Model):
    """How many inputs of one consultation sit in one routing and status."""

    __tablename__ = "queue_counts"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    routed_to: Mapped[str] = mapped_column(String(20), primary_key=True)
    delegation_slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    is_hq_direct: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


_KEY = "consultation_id, routed_to, delegation_slug, is_hq_direct, status"
_WATCHED = ("status", "routed_to", "delegation_slug", "is_hq_direct", "consultation_id")


def _key_values(row: str) -> str:
    return (
        f"{row}.consultation_id, coalesce({row}.routed_to, ''), "
        f"coalesce({row}.delegation_slug, ''), {row}.is_hq_direct, {row}.status"
    )


def _key_match(row: str) -> str:
    return (
        f"consultation_id = {row}.consultation_id"
        f" AND routed_to = coalesce({row}.routed_to, '')"
        f" AND delegation_slug = coalesce({row}.delegation_slug, '')"
        f" AND is_hq_direct = {row}.is_hq_direct AND status = {row}.status"
    )


def _postgresql_ddl() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    return [
        f"""
CREATE OR REPLACE FUNCTION queue_counts_follow_inputs() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'draft' THEN
        UPDATE queue_counts SET count = count - 1 WHERE {_key_match("OLD")};
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status <> 'draft' THEN
        INSERT INTO queue_counts ({_KEY}, count) VALUES ({_key_values("NEW")}, 1)
        ON CONFLICT ({_KEY}) DO UPDATE SET count = queue_counts.count + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",  # noqa: S608  # nosec B608 (built from this module's constants only)
        "DROP TRIGGER IF EXISTS inputs_queue_counts ON inputs",
        "CREATE TRIGGER inputs_queue_counts AFTER INSERT OR DELETE ON inputs "
        "FOR EACH ROW EXECUTE FUNCTION queue_counts_follow_inputs()",
        "DROP TRIGGER IF EXISTS inputs_queue_counts_update ON inputs",
        f"CREATE TRIGGER inputs_queue_counts_update AFTER UPDATE OF {', '.join(_WATCHED)} "
        f"ON inputs FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION queue_counts_follow_inputs()",
    ]


def _sqlite_ddl() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _WATCHED)
    add = (
        f"INSERT OR IGNORE INTO queue_counts ({_KEY}, count) "  # noqa: S608  # nosec B608 (constants)
        f"SELECT {_key_values('NEW')}, 0 WHERE NEW.status <> 'draft'; "
        f"UPDATE queue_counts SET count = count + 1 "
        f"WHERE {_key_match('NEW')} AND NEW.status <> 'draft';"
    )
    remove = (
        f"UPDATE queue_counts SET count = count - 1 "  # noqa: S608  # nosec B608 (constants)
        f"WHERE {_key_match('OLD')} AND OLD.status <> 'draft';"
    )
    return [
        "DROP TRIGGER IF EXISTS inputs_queue_counts_insert",
        f"CREATE TRIGGER inputs_queue_counts_insert AFTER INSERT ON inputs BEGIN {add} END",
        "DROP TRIGGER IF EXISTS inputs_queue_counts_delete",
        f"CREATE TRIGGER inputs_queue_counts_delete AFTER DELETE ON inputs BEGIN {remove} END",
        "DROP TRIGGER IF EXISTS inputs_queue_counts_update",
        f"CREATE TRIGGER inputs_queue_counts_update AFTER UPDATE OF {', '.join(_WATCHED)} "
        f"ON inputs WHEN {changed} BEGIN {remove} {add} END",
    ]


def install_triggers(connection: Connection) -> None:
    """Create (or replace) the triggers that keep ``queue_counts`` in step with ``inputs``."""
    ddl = _postgresql_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl()
    for statement in ddl:
        connection.exec_driver_sql(statement)


def recount(connection: Connection) -> None:
    """Rebuild every counter from ``inputs`` (after a migration or a repair)."""
    connection.exec_driver_sql("DELETE FROM queue_counts")
    connection.exec_driver_sql(
        f"INSERT INTO queue_counts ({_KEY}, count) "  # noqa: S608  # nosec B608 (constants)
        f"SELECT {_key_values('inputs')}, count(*) FROM inputs "
        "WHERE inputs.status <> 'draft' "
        f"GROUP BY {_key_values('inputs')}"
    )


def remove_triggers(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS inputs_queue_counts ON inputs")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS inputs_queue_counts_update ON inputs")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS queue_counts_follow_inputs()")
    else:
        for name in ("insert", "delete", "update"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS inputs_queue_counts_{name}")


@event.listens_for(db.metadata, "after_create")
def _triggers_with_the_schema(_metadata: Any, connection: Connection, **_kw: Any) -> None:
    """``create_all`` (tests, ``make run``'s first start) gets the triggers too."""
    install_triggers(connection)


def counter_scope(user: Any, kind: str) -> ColumnElement[bool] | None:
    """The counters that make up ``user``'s queue ``kind`` (None: the queue is not theirs).

    The same inputs as ``consult.review.queue.queue_condition`` without drafts;
    a test checks that both count the same for every queue.
    """
    if kind == "delegation" and works_for_a_delegation(user) and user.delegation_slug:
        return (
            (QueueCount.routed_to == RoutedTo.DELEGATION)
            & (QueueCount.delegation_slug == user.delegation_slug)
            & QueueCount.is_hq_direct.is_(False)
        )
    if kind == "hq" and works_at_hq(user):
        return QueueCount.routed_to == RoutedTo.HQ
    if kind == "forwarded" and works_at_hq(user):
        return QueueCount.status.in_([s.value for s in FORWARDED_STATUSES])
    return None


def counts_per_status(
    user: Any, kind: str, consultation_id: uuid.UUID | None = None
) -> dict[str, int]:
    """How many inputs of each status ``user``'s queue ``kind`` holds (one small statement)."""
    scope = counter_scope(user, kind)
    if scope is None:
        return {}
    stmt = (
        select(QueueCount.status, func.sum(QueueCount.count))
        .where(scope)
        .group_by(QueueCount.status)
    )
    if consultation_id is not None:
        stmt = stmt.where(QueueCount.consultation_id == consultation_id)
    return {status: int(total) for status, total in db.session.execute(stmt) if total}
