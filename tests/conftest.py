"""Shared fixtures.

One database per test run: an SQLite file in a temporary folder, or, when
``TEST_DATABASE_URL`` names a PostgreSQL server, a freshly created database
of a unique name on it (dropped at the end), so parallel runs never collide.
Every test starts from empty tables plus the reference data.

Fixtures used by more than one domain's tests live here (API clients and
tokens, a small PNG); each folder's ``conftest.py`` holds its own domain's.
The API client checks every answer against OpenAPI: the status must be one
the operation documents, and a JSON body must match its schema, so every API
test is also a conformance test.
"""

from __future__ import annotations

import io
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from jsonschema import Draft202012Validator
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import TestResponse

from config import database_url
from consult import create_app
from consult.api.openapi import openapi_document
from consult.api.tokens import create_token, latest_staff_expiry
from consult.extensions import db
from consult.identifiers.known import ensure_version_row
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
def base_config(
    database_uri: str, upload_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict:
    return {
        "ENV_NAME": "testing",
        "INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
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
        # The one row the registry's triggers change, as the schema is created with it.
        ensure_version_row(conn)


@contextmanager
def own_app_context(app: Flask) -> Iterator[None]:
    """Run a request or command in a fresh app context, as a server or a new process would.

    The test's own session (when the test holds one, not in a thread it started)
    commits what it set up first and is expired afterwards, to read back what was written.
    """
    test_context = has_app_context()
    if test_context:
        db.session.commit()
    with app.app_context():
        yield
    if test_context:
        db.session.expire_all()


class RequestClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    A test holds one app context for its whole length (to set up rows and read
    them back), and Flask would lend that context, and its ``g``, to each
    request. Here every request gets a fresh one: no user, locale or database
    session cached by an earlier request leaks into the next. What the test set
    up is committed first, so the request sees it, and the test's own session
    is expired afterwards, so the test reads back what the request wrote.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with own_app_context(self.application):
            return super().open(*args, **kwargs)


class CommandRunner(FlaskCliRunner):
    """A CLI runner whose every command runs in its own app context, as its own process would.

    As with :class:`RequestClient`: what the test set up is committed first, and
    the test's session is expired afterwards, to read back what the command wrote.
    """

    def invoke(self, *args: Any, **kwargs: Any) -> Result:
        with own_app_context(self.app):
            return super().invoke(*args, **kwargs)


@pytest.fixture
def make_app(base_config: dict, _schema: None):
    """Build another app on the test database with some settings changed."""

    def _make(**overrides) -> Flask:
        app = create_app({**base_config, **overrides})
        app.test_client_class = RequestClient
        app.test_cli_runner_class = CommandRunner
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


API = "/api/v1"


def new_token(user, name: str = "tests", **kwargs: Any) -> str:
    """A token for ``user``; EU staff tokens get the longest expiry allowed unless one is given."""
    if user.is_eu_staff and "expires_at" not in kwargs:
        kwargs["expires_at"] = latest_staff_expiry()
    _token, raw = create_token(user, name, **kwargs)
    db.session.commit()
    return raw


def response_schema(document: dict, operation: dict, status: int, mimetype: str) -> dict | None:
    responses = operation["responses"]
    assert str(status) in responses, (
        f"{operation['operationId']} answered {status}, which the document does not list"
    )
    content = responses[str(status)].get("content", {})
    if not content:  # e.g. 204: the document promises no body
        return None
    assert mimetype in content, f"{operation['operationId']} {status} sent {mimetype}"
    schema = content[mimetype].get("schema")
    return {**schema, "components": document["components"]} if schema is not None else None


def validate_against(document: dict, schema: dict, payload: Any) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


class ApiClient:
    """A test client that sends ``Authorization: Bearer`` and validates each response."""

    def __init__(self, app: Flask, client: FlaskClient, token: str | None) -> None:
        self.app = app
        self.client = client
        self.token = token
        with app.test_request_context():
            self.document = openapi_document()

    def open(self, method: str, path: str, *, headers: dict | None = None, **kwargs: Any):
        headers = dict(headers or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        response = self.client.open(API + path, method=method, headers=headers, **kwargs)
        self.check(method, path, response)
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.open("DELETE", path, **kwargs)

    def check(self, method: str, path: str, response: TestResponse) -> None:
        """Every answer is JSON or a documented file, and matches the description."""
        mimetype = response.mimetype
        if response.status_code >= 400:
            assert mimetype == "application/json", response.get_data(as_text=True)[:200]
            body = response.get_json()
            assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"])
        adapter = self.app.url_map.bind("localhost")
        try:
            endpoint, _args = adapter.match(API + path.split("?")[0], method=method)
        except (NotFound, MethodNotAllowed):
            return  # no operation: the error shape was checked above
        operation = next(
            (
                op
                for ops in self.document["paths"].values()
                for op in ops.values()
                if f"api.{op['operationId']}" == endpoint
            ),
            None,
        )
        assert operation is not None, f"{endpoint} is served but not described"
        if response.status_code == 204:
            assert not response.get_data(), "a 204 answer has no body"
        schema = response_schema(self.document, operation, response.status_code, mimetype)
        if schema is not None and mimetype == "application/json":
            validate_against(self.document, schema, response.get_json())


def new_api_client(app: Flask, user=None, *, token: str | None = None) -> ApiClient:
    if user is not None and token is None:
        token = new_token(user)
    return ApiClient(app, app.test_client(), token)


def _png_bytes(colour: str = "red") -> bytes:
    """A tiny valid PNG (attachments are type-checked from their content)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def make_token():
    """``make_token(user, name="tests", **kwargs)``: a personal API token, committed."""
    return new_token


@pytest.fixture
def api_client():
    """``api_client(app, user=None, token=None)``: a client of /api/v1 checked against OpenAPI."""
    return new_api_client


@pytest.fixture
def png_bytes():
    """``png_bytes(colour="red")``: the bytes of a tiny valid PNG."""
    return _png_bytes
