"""Security headers on every response of every route, for every kind of visitor."""

from __future__ import annotations

import urllib.request
import uuid

import pytest
from cryptography.fernet import Fernet
from werkzeug.routing import Rule

from consult import create_app
from tests import factories

REQUIRED_CSP = [
    "default-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
VISITORS = ["anonymous", "cso", "moderator", "hq", "admin"]


def _rules() -> list[Rule]:
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


RULES = _rules()


def url_for_rule(rule: Rule) -> str:
    """A concrete URL for ``rule``: a random UUID for ids, a word for the rest."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)  # noqa: SLF001
        kind = type(converter).__name__ if converter else ""
        if kind == "IntegerConverter":
            values[name] = "7"
        elif kind == "UUIDConverter" or name.endswith("_id") or name == "id":
            values[name] = str(uuid.uuid4())
        else:
            values[name] = "x"
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", value)
        for kind in ("uuid", "string", "path", "int", "any"):
            path = path.replace(f"<{kind}:{name}>", value)
    return path


def check_headers(response, *, production: bool = False) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "no-referrer"
    assert "camera=()" in headers.get("Permissions-Policy", "")
    assert "Server" not in headers or not any(ch.isdigit() for ch in headers["Server"])
    if production:
        assert "max-age=" in headers.get("Strict-Transport-Security", "")


@pytest.fixture
def visitors(app):
    org = factories.make_organisation("Headers Org", ["TN"])
    return {
        "anonymous": None,
        "cso": factories.make_user("h.cso@headers.example.org", "cso", organisation=org),
        "moderator": factories.make_user(
            "h.mod@eeas.example.org", "moderator", delegation="eud-tn"
        ),
        "hq": factories.make_user("h.hq@eeas.example.org", "hq"),
        "admin": factories.make_user("h.admin@consult.example.org", "admin"),
    }


def _request(client, rule: Rule, signed_in: bool):
    """GET when the route has it; otherwise (anonymous only) its first method with no data."""
    url = url_for_rule(rule)
    if "GET" in rule.methods:
        return url, client.get(url)
    if signed_in:
        # An empty POST as a signed-in user would change their own data;
        # those routes are covered anonymously and by their own tests.
        return url, None
    return url, client.open(url, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_sends_the_security_headers(app, visitors, visitor):
    """Each route of the URL map, as this visitor: the headers, whatever the status."""
    user = visitors[visitor]
    problems = []
    checked = 0
    for rule in RULES:
        client = app.test_client()
        if user is not None:
            factories.login(client, user)
        url, response = _request(client, rule, signed_in=user is not None)
        if response is None:
            continue
        checked += 1
        try:
            check_headers(response)
            # nothing anyone sees (pages, downloads, errors) stays in a cache
            assert "no-store" in response.headers.get("Cache-Control", ""), "Cache-Control"
        except AssertionError as exc:
            problems.append(f"{rule.endpoint} {url} ({response.status_code}): {exc}")
    assert checked >= len(RULES) // 2
    assert problems == []


def test_error_pages_and_static_files_have_the_headers_too(client):
    check_headers(client.get("/no/such/page"))
    check_headers(client.get("/static/consult.css"))
    check_headers(client.get("/api/v1/no-such-endpoint"))


def test_signed_in_pages_are_not_stored(client, login, cso_user):
    login(client, cso_user)
    response = client.get("/auth/account")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_production_adds_hsts(make_app, app):
    prod = make_app(
        ENV_NAME="production",
        SECRET_KEY="q" * 64,
        TOTP_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DEBUG=False,
        TESTING=True,
    )
    with prod.app_context():
        response = prod.test_client().get("/auth/login", base_url="https://consult.example.org")
    check_headers(response, production=True)
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


def test_development_has_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_server_header_names_no_version(app, make_app):
    from tests.browser.conftest import LiveServer

    server = LiveServer(make_app())
    server.start()
    try:
        with urllib.request.urlopen(f"{server.url}/auth/login", timeout=10) as response:
            headers = response.headers
    finally:
        server.stop()
    assert headers["Server"] == "consult"
    assert headers["X-Content-Type-Options"] == "nosniff"
