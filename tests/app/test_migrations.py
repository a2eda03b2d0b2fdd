"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import database_url
from consult import create_app
from consult.database import exists_on
from consult.extensions import db
from consult.identifiers.known import install_triggers as install_registry_triggers
from consult.review.queue_counts import install_triggers


@pytest.fixture
def empty_database_uri(tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if server and server.startswith(("postgres://", "postgresql")):
        url = make_url(database_url(server))
        name = f"consult_mig_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"


def _migrated_app(uri: str, upload_dir: str):
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": uri, "UPLOAD_DIR": upload_dir}
    )
    return app


def test_migrations_match_the_models(empty_database_uri, tmp_path):
    app = _migrated_app(empty_database_uri, str(tmp_path / "up"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": exists_on(conn.dialect.name),
                },
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], (
        f"models and migrations disagree; run `flask --app consult db migrate`: {differences}"
    )


def _triggers(conn, tables: tuple[str, ...], function: str) -> list[str]:
    """The definitions of the triggers on ``tables`` (and ``function``, on PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        on = ", ".join(f"'{table}'::regclass" for table in tables)
        found = conn.exec_driver_sql(
            f"SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid IN ({on}) "
            "AND NOT tgisinternal"
        ).scalars()
        functions = conn.exec_driver_sql(
            f"SELECT pg_get_functiondef('{function}'::regproc)"
        ).scalars()
        return sorted([*found, *functions])
    names = ", ".join(f"'{table}'" for table in tables)
    return sorted(
        conn.exec_driver_sql(
            f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({names})"
        ).scalars()
    )


_QUEUE_TRIGGERS = (("inputs",), "queue_counts_follow_inputs")
_REGISTRY_TRIGGERS = (("organisations", "users"), "registry_version_bump")


def test_migrated_queue_triggers_are_the_modules(empty_database_uri, tmp_path):
    """The migration's own copy of the queue counters' triggers is what the code installs."""
    app = _migrated_app(empty_database_uri, str(tmp_path / "up"))
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            migrated = _triggers(conn, *_QUEUE_TRIGGERS)
            install_triggers(conn)
            installed = _triggers(conn, *_QUEUE_TRIGGERS)
        db.engine.dispose()
    assert len(migrated) >= 2
    assert migrated == installed


def test_upgrade_creates_every_table_and_downgrade_removes_them(empty_database_uri, tmp_path):
    app = _migrated_app(empty_database_uri, str(tmp_path / "up"))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert remaining == set()


def test_stored_audit_actions_are_renamed_to_the_dotted_spelling(empty_database_uri, tmp_path):
    app = _migrated_app(empty_database_uri, str(tmp_path / "up"))
    insert = text(
        "INSERT INTO audit_events (action, created_at) VALUES (:action, CURRENT_TIMESTAMP)"
    )
    with app.app_context():
        upgrade(revision="3c1f0e7a9b21")
        with db.engine.begin() as conn:
            for action in ("input_withdrawn", "attachment_downloaded", "input.claimed", "login"):
                conn.execute(insert, {"action": action})
        upgrade()
        with db.engine.connect() as conn:
            actions = sorted(conn.scalars(text("SELECT action FROM audit_events")))
        db.engine.dispose()
    assert actions == ["attachment.downloaded", "auth.login", "input.claimed", "input.withdrawn"]


def test_migrated_registry_triggers_are_the_modules(empty_database_uri, tmp_path):
    """The migration's copy of the registry version's triggers is what the code installs."""
    app = _migrated_app(empty_database_uri, str(tmp_path / "up"))
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            migrated = _triggers(conn, *_REGISTRY_TRIGGERS)
            rows = conn.exec_driver_sql("SELECT count(*) FROM registry_version").scalar()
            install_registry_triggers(conn)
            installed = _triggers(conn, *_REGISTRY_TRIGGERS)
        db.engine.dispose()
    assert len(migrated) >= 2 and rows == 1
    assert migrated == installed
