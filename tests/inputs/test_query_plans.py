"""The hot paths reach ``inputs`` through an index, never by reading the whole table.

A few thousand generated inputs, then the statements the review queues and the
digest's aggregates and export really issue are captured and explained:
``EXPLAIN`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite. A sequential scan
of ``inputs`` fails the test.

On PostgreSQL ``enable_seqscan`` is switched off while explaining: at a few
thousand rows a sequential scan can honestly be the cheapest plan, so the
planner is asked whether an index *can* serve the statement. It still chooses a
sequential scan when no index fits, which is what the test catches. Timings are
measured in bench/, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from consult.auth.models import User
from consult.cli.load import generate_load
from consult.digest.filters import parse_filters
from consult.digest.query import aggregate, iter_batches
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.review.queue import queue_page
from consult.review.visits import count_new

INPUTS = 3_000
MENTIONS_INPUTS = re.compile(r"\binputs\b")


@contextmanager
def captured_statements() -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT that reads ``inputs`` while the block runs, with its parameters."""
    statements: list[tuple[str, Any]] = []

    def listener(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and MENTIONS_INPUTS.search(statement):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _plan(statement: str, parameters: Any) -> list[str]:
    """The plan's lines: one per node on PostgreSQL, one per step on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")
        return [line.strip() for line in rows]
    return [
        row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    ]


def _reads_of_inputs(plan: list[str]) -> list[str]:
    """The plan lines that read ``inputs`` (by its name, not a table starting with it)."""
    return [line for line in plan if re.search(r"(on|SCAN|SEARCH) inputs\b", line)]


def _full_scans(plan: list[str]) -> list[str]:
    # PostgreSQL: "Seq Scan on inputs". SQLite: "SCAN inputs" alone reads the
    # table; "SEARCH ... USING INDEX" and "SCAN inputs USING COVERING INDEX" do not.
    return [
        line
        for line in _reads_of_inputs(plan)
        if "Seq Scan" in line or re.fullmatch(r"SCAN inputs( AS \w+)?", line)
    ]


def _sorts_the_page(plan: list[str]) -> bool:
    """Whether the rows are sorted after reading rather than read in index order."""
    return any(
        "Sort Key: inputs.submitted_at" in line or "TEMP B-TREE FOR ORDER BY" in line
        for line in plan
    )


def _assert_indexed(statements: list[tuple[str, Any]]) -> None:
    assert statements, "no statement read the inputs"
    for statement, parameters in statements:
        scans = _full_scans(_plan(statement, parameters))
        assert scans == [], f"full scan of inputs {scans} in:\n{statement}"


def _page_statement(statements: list[tuple[str, Any]]) -> tuple[str, Any]:
    pages = [(s, p) for s, p in statements if "ORDER BY inputs.submitted_at" in s]
    assert len(pages) == 1, pages
    return pages[0]


@pytest.fixture
def generated(app):
    generate_load(INPUTS, seed=11)
    if db.session.connection().dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE inputs")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return app


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_the_delegation_queue_uses_an_index(generated):
    delegation = db.session.scalar(
        select(Input.delegation_slug)
        .where(Input.status == Status.SUBMITTED, Input.delegation_slug.is_not(None))
        .group_by(Input.delegation_slug)
        .order_by(func.count().desc())
    )
    moderator = _user(f"moderator.{delegation}@load.example.org")
    with captured_statements() as statements:
        first = queue_page(moderator, {}, kind="delegation", limit=10)
        queue_page(moderator, {}, after=first.next_cursor, kind="delegation", limit=10)
        queue_page(moderator, {"status": "all", "priority": "ssr"}, kind="delegation")
    assert first.items and first.next_cursor
    _assert_indexed(statements)


def test_the_hq_queues_use_an_index(generated):
    hq = _user("hq@load.example.org")
    with captured_statements() as statements:
        first = queue_page(hq, {}, kind="hq", limit=10)
        queue_page(hq, {"status": "forwarded"}, kind="forwarded", limit=10)
    assert first.items
    _assert_indexed(statements)


def test_the_forwarded_list_is_read_in_order_not_sorted(generated):
    """Thousands of forwarded inputs: the first page must not sort them all."""
    hq = _user("hq@load.example.org")
    with captured_statements() as statements:
        page = queue_page(hq, {}, kind="forwarded", limit=10)
    assert len(page.items) == 10 and page.total > INPUTS // 2
    _assert_indexed(statements)
    plan = _plan(*_page_statement(statements))
    if db.session.connection().dialect.name == "postgresql":
        assert not _sorts_the_page(plan), plan
    else:
        # SQLite plans without costing the LIMIT: it looks the statuses up in
        # an index and sorts them, which is fine at the sizes SQLite serves.
        assert any("USING INDEX" in line for line in _reads_of_inputs(plan)), plan


def _busiest_moderator() -> User:
    delegation = db.session.scalar(
        select(Input.delegation_slug)
        .where(Input.status == Status.SUBMITTED, Input.delegation_slug.is_not(None))
        .group_by(Input.delegation_slug)
        .order_by(func.count().desc())
    )
    return _user(f"moderator.{delegation}@load.example.org")


def test_no_queue_page_sorts_or_counts_its_whole_queue(generated):
    """Each status is read in index order and merged; the counts come from counters.

    The default "open" filter (two statuses), "all" (seven) and the forwarded
    list (two), first and later pages: the only sort left is of the page-sized
    union of the branches, never of the queue's inputs, and no statement counts
    the inputs of an unfiltered queue.
    """
    moderator = _busiest_moderator()
    hq = _user("hq@load.example.org")
    with captured_statements() as statements:
        first = queue_page(moderator, {}, kind="delegation", limit=10)
        deep = queue_page(moderator, {}, after=first.next_cursor, kind="delegation", limit=10)
        queue_page(moderator, {"status": "all"}, after=deep.next_cursor, kind="delegation")
        queue_page(hq, {}, kind="hq", limit=10)
        forwarded = queue_page(hq, {}, kind="forwarded", limit=10)
        queue_page(hq, {}, after=forwarded.next_cursor, kind="forwarded", limit=10)
    assert deep.items and deep.items[0].submitted_at >= first.items[-1].submitted_at
    assert first.total > 20 and forwarded.total > INPUTS // 2
    assert len(statements) == 6, [s for s, _p in statements]
    assert not [s for s, _p in statements if "count(" in s.lower()]
    _assert_indexed(statements)
    if db.session.connection().dialect.name == "postgresql":
        for statement, parameters in statements:
            plan = _plan(statement, parameters)
            assert not _sorts_the_page(plan), plan


def test_what_is_new_since_the_last_visit_is_counted_through_an_index(generated):
    """The HTML queue says how many inputs arrived since the reader last looked."""
    moderator = _busiest_moderator()
    hq = _user("hq@load.example.org")
    since = db.session.scalar(select(func.max(Input.submitted_at))) - timedelta(days=3)
    with captured_statements() as statements:
        waiting = count_new(moderator, "delegation", None)
        recent = count_new(moderator, "delegation", since)
        count_new(hq, "hq", since)
        count_new(hq, "forwarded", since)
    assert waiting > recent > 0
    assert len(statements) == 3  # never looked at: read from the counters
    _assert_indexed(statements)


def _statements_of_page(user: User, **page: Any) -> int:
    """How many statements one queue page runs, from a cold session with its reader
    loaded (as a request has its caller)."""
    counter = {"n": 0}

    def count(*_args: Any) -> None:
        counter["n"] += 1

    db.session.expire_all()
    db.session.refresh(user)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        queue_page(user, {}, **page)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return counter["n"]


def test_a_queue_page_takes_the_same_statements_at_any_size(app):
    """Counts, the page, its countries, themes and consultation texts: five statements at
    200 or 3,000 inputs."""
    sizes = []
    for inputs in (200, INPUTS - 200):
        generate_load(inputs, seed=len(sizes) + 3)
        db.session.commit()
        moderator, hq = _busiest_moderator(), _user("hq@load.example.org")
        cursor = queue_page(moderator, {}, kind="delegation", limit=5).next_cursor
        assert cursor
        sizes.append(
            [
                _statements_of_page(moderator, kind="delegation", limit=5),
                _statements_of_page(moderator, kind="delegation", limit=5, after=cursor),
                _statements_of_page(hq, kind="forwarded"),
            ]
        )
    assert sizes == [[5, 5, 5], [5, 5, 5]]


def test_the_digest_counts_come_from_the_counters(generated):
    """Unfiltered, and on the filters ``digest_counts`` keeps, no statement reads ``inputs``:
    seven statements over a few hundred counters, whatever the number of inputs."""
    every: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        every.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with captured_statements() as statements:
            everything = aggregate(parse_filters({}))
            aggregate(parse_filters({"consultation": "generated-load", "priority": "ssr"}))
            aggregate(parse_filters({"type": "recommendation", "since": "2000-01-01"}))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert everything.inputs > INPUTS // 2
    assert set(everything.sources.values()) == {"counters"}
    # The dated one counts organisations and the matrix from the inputs (3 statements).
    assert len(statements) == 3
    # 7 unfiltered; 6 for one priority (its organisations are its row); 3 dated.
    assert len([s for s in every if "digest_counts" in s]) == 7 + 6 + 3


def test_the_digest_counts_fall_back_to_an_index(generated):
    """The GROUP BYs the counters cannot answer never visit the inputs' rows (and their
    long texts) on PostgreSQL. SQLite groups the matrix by priority through
    ``ix_inputs_export`` (priority, id) and reads the rows from there: no full scan,
    but not index-only (so it was before digest_counts)."""
    with captured_statements() as statements:
        everything = aggregate(parse_filters({}), use_counters=False)
        aggregate(
            parse_filters({"consultation": "generated-load", "priority": "ssr"}), use_counters=False
        )
        aggregate(parse_filters({"type": "recommendation", "since": "2000-01-01"}))
    assert everything.inputs > INPUTS // 2
    postgresql = db.session.connection().dialect.name == "postgresql"
    for statement, parameters in statements:
        plan = _plan(statement, parameters)
        reads = _reads_of_inputs(plan)
        assert reads, statement
        assert _full_scans(plan) == [], statement
        for line in reads if postgresql else ():
            assert "Index Only Scan" in line, (line, statement)


def test_the_digest_export_uses_an_index(generated):
    with captured_statements() as statements:
        batch = next(iter_batches(parse_filters({}), ["ssr"]))
    assert batch
    _assert_indexed(statements)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        # The export reads through a server-side cursor: explained as one, it walks
        # ix_inputs_export in id order, so the first rows leave before the last are read.
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(
                "EXPLAIN DECLARE export CURSOR FOR " + statement, parameters
            ).scalars()
            lines = [line.strip() for line in plan]
            assert not any("Sort Key: inputs.id" in line for line in lines), lines
            assert any("ix_inputs_export" in line for line in lines), lines
