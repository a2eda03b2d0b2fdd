"""Helpers for the API tests: tokens, and a client that checks every answer against OpenAPI.

``ApiClient`` sends a bearer token and validates each response against the
operation the request matched in ``/api/v1/openapi.json``: the status must be
one the operation documents, and a JSON body must match its schema. So every
API test is also a conformance test.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import TestResponse

from consult.api.openapi import openapi_document
from consult.api.tokens import create_token, latest_staff_expiry
from consult.extensions import db

API = "/api/v1"


def make_token(user, name: str = "tests", **kwargs: Any) -> str:
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


def api_client(app: Flask, user=None, *, token: str | None = None) -> ApiClient:
    if user is not None and token is None:
        token = make_token(user)
    return ApiClient(app, app.test_client(), token)
