"""Shared fixtures.

One database per test run: an SQLite file in a temporary folder, or, when
``TEST_DATABASE_URL`` names a PostgreSQL server, a freshly created database
of a unique name on it (dropped at the end), so parallel runs never collide.
Every test starts from empty tables plus the reference data.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_babel import refresh as refresh_locale
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import database_url
from consult import create_app
from consult.extensions import db
from consult.reference.services import load_reference_data
from tests import factories


def _create_postgres_database(server_url: str) -> tuple[str, str]:
    """Create a uniquely named database on the server; return (its url, its name)."""
    url = make_url(database_url(server_url))
    name = f"consult_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(server_url: str, name: str) -> None:
    admin = create_engine(make_url(database_url(server_url)), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("TEST_DATABASE_URL")
    if server and server.startswith(("postgres://", "postgresql")):
        uri, name = _create_postgres_database(server)
        yield uri
        _drop_postgres_database(server, name)
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'consult-test.sqlite'}"


@pytest.fixture(scope="session")
def upload_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def base_config(database_uri: str, upload_root: Path) -> dict:
    return {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "UPLOAD_DIR": str(upload_root),
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def _schema(base_config: dict) -> Iterator[None]:
    app = create_app(base_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_app(base_config: dict, _schema: None):
    """Build another app on the test database with some settings changed."""

    def _make(**overrides) -> Flask:
        app = create_app({**base_config, **overrides})

        @app.before_request
        def _forget_cached_user() -> None:
            # Tests hold one app context for the whole test, so ``g`` outlives a
            # request; without this, Flask-Login's cached user would leak from
            # one test client to another.
            g.pop("_login_user", None)
            # Flask-Babel caches the locale on the same ``g``: choose it afresh.
            refresh_locale()

        return app

    return _make


@pytest.fixture
def app(make_app, upload_root: Path) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        _empty_tables()
        load_reference_data()
        db.session.commit()
        yield app
        db.session.remove()
    for child in upload_root.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def consultation(app: Flask):
    return factories.make_consultation()


@pytest.fixture
def organisation(app: Flask):
    return factories.make_organisation("Tunis Civic Forum", ["TN"])


@pytest.fixture
def cso_user(organisation):
    return factories.make_user("member@tcf.example.org", "cso", organisation=organisation)


@pytest.fixture
def moderator_user(app: Flask):
    return factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")


@pytest.fixture
def hq_user(app: Flask):
    return factories.make_user("analyst@eeas.example.org", "hq")


@pytest.fixture
def admin_user(app: Flask):
    return factories.make_user("operator@consult.example.org", "admin")


@pytest.fixture
def login(app: Flask):
    """Sign a test client in as a user without going through the form."""
    return factories.login
