"""Engine settings that make SQLite safe for concurrent requests."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# Requests that change something: they take SQLite's write lock when they begin.
WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def configure_engine_events(engine: Engine) -> None:
    """On SQLite: WAL, a busy timeout, foreign keys, and writers that wait their turn.

    WAL lets readers go on while one request writes; the busy timeout makes a
    writer wait for another instead of answering "database is locked". But in
    WAL mode a transaction that has read and only then writes cannot wait: if
    another writer committed in between, SQLite answers "database is locked"
    at once, busy timeout or not. So every transaction asks for the write lock
    before it reads anything it may write on:

    - a request that changes something (POST, PUT, PATCH, DELETE) begins with
      ``BEGIN IMMEDIATE``, so its reads, savepoints and writes run under the
      lock it waited for;
    - anything else (pages, downloads, commands, tests) reads outside a
      transaction, as the driver does by default, and the driver opens one with
      ``BEGIN IMMEDIATE`` just before the first statement that writes. A long
      streamed export therefore never holds a writer up.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.isolation_level = "IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if has_request_context() and request.method in WRITING_METHODS:
            dbapi_connection.isolation_level = None  # the driver opens nothing itself
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            dbapi_connection.isolation_level = "IMMEDIATE"


def only_on(dialect: str) -> dict[str, Any]:
    """The ``info`` of a schema object that exists on one database only (see ``ddl_if``)."""
    return {"only_on": dialect}


def exists_on(dialect: str) -> Any:
    """An Alembic ``include_object``: compare only what exists on ``dialect``.

    ``create_all`` skips an index built with ``.ddl_if(dialect=...)`` on other
    databases, but Alembic's comparison does not know it; the index's ``info``
    (``only_on``) tells it.
    """

    def include(obj: Any, _name: str, _type: str, _reflected: bool, _compare_to: Any) -> bool:
        wanted = getattr(obj, "info", {}).get("only_on")
        return wanted is None or wanted == dialect

    return include
