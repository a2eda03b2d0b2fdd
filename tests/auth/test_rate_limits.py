"""Rate limits: login per account and per address, a styled 429, Redis in production."""

from __future__ import annotations

import os
import uuid

import pytest

from consult.extensions import limiter
from tests.factories import PASSWORD


@pytest.fixture
def limited_app(make_app, app):
    """The app with rate limits on (tests turn them off) and a small login limit."""
    limited = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="3 per minute",
    )
    limiter.reset()
    yield limited
    limiter.reset()


def _attempt(client, email, address="203.0.113.7", password="wrong-password-123"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_login_is_limited_per_account_across_addresses(limited_app, cso_user):
    client = limited_app.test_client()
    for n in range(3):
        assert _attempt(client, cso_user.email, address=f"198.51.100.{n}").status_code == 200
    blocked = _attempt(client, cso_user.email, address="198.51.100.99", password=PASSWORD)
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Too many attempts" in page
    assert 'href="/static/consult.css?v=' in page  # the site's own styled page
    assert "Retry-After" in blocked.headers
    # another account from that address is not blocked by this one's limit
    assert _attempt(client, "someone.else@example.org", address="198.51.100.99").status_code == 200


def test_login_is_limited_per_address_across_accounts(limited_app):
    client = limited_app.test_client()
    for n in range(3):
        assert _attempt(client, f"guess{n}@example.org").status_code == 200
    assert _attempt(client, "guess-final@example.org").status_code == 429
    assert _attempt(client, "guess-final@example.org", address="192.0.2.50").status_code == 200


def test_behind_a_proxy_each_client_address_counts_alone(make_app, app):
    proxied = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="3 per minute",
        TRUSTED_PROXIES=1,
    )
    limiter.reset()
    client = proxied.test_client()

    def attempt(n, client_address):
        return client.post(
            "/auth/login",
            data={"email": f"p{n}@example.org", "password": "wrong-password-123"},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},  # the proxy
            headers={"X-Forwarded-For": client_address},
        ).status_code

    assert [attempt(n, "203.0.113.1") for n in range(4)] == [200, 200, 200, 429]
    assert attempt(9, "203.0.113.2") == 200
    limiter.reset()


def test_second_factor_attempts_are_limited(limited_app, hq_user):
    client = limited_app.test_client()
    env = {"REMOTE_ADDR": "203.0.113.20"}
    client.post(
        "/auth/login", data={"email": hq_user.email, "password": PASSWORD}, environ_base=env
    )
    statuses = [
        client.post("/auth/two-factor", data={"code": "000000"}, environ_base=env).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_forgot_password_is_limited(limited_app, cso_user):
    client = limited_app.test_client()
    statuses = [
        client.post("/auth/forgot", data={"email": cso_user.email}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_api_gets_a_json_429(make_app, app):
    limited = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
    limiter.reset()
    client = limited.test_client()
    statuses = [client.get("/api/v1/openapi.json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/openapi.json")
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "Too many" in error["message"]
    limiter.reset()


def test_limits_are_off_when_configured_off(client, cso_user):
    for _ in range(15):
        assert _attempt(client, cso_user.email).status_code == 200


@pytest.mark.skipif(
    not os.environ.get("TEST_REDIS_URL"),
    reason="set TEST_REDIS_URL=redis://127.0.0.1:6379 to check the Redis store",
)
def test_limits_are_shared_through_redis(make_app, app, cso_user):
    """Two app processes behind a load balancer share one count in Redis."""
    url = os.environ["TEST_REDIS_URL"]
    email = f"redis-{uuid.uuid4().hex[:8]}@example.org"
    first = make_app(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=url
    )
    assert type(limiter.storage).__name__.lower().startswith("redis")
    for _ in range(2):
        assert _attempt(first.test_client(), email).status_code == 200
    second = make_app(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=url
    )
    client = second.test_client()
    assert _attempt(client, email, address="192.0.2.1").status_code == 200
    assert _attempt(client, email, address="192.0.2.2").status_code == 429


def test_a_shared_address_allows_more_sign_ins_than_one_account(make_app, app):
    """Colleagues behind one office address are not locked out by one another."""
    shared = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="3 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="8 per minute",
    )
    limiter.reset()
    client = shared.test_client()
    statuses = [_attempt(client, f"colleague{n}@example.org").status_code for n in range(9)]
    assert statuses == [200] * 8 + [429]
    limiter.reset()


def test_signing_in_again_on_the_input_form_shares_the_accounts_budget(
    limited_app, cso_user, consultation
):
    """The input form's sign-in box is a second door: it must not be a second allowance."""
    from tests.submissions.conftest import count_inputs, new_url, payload

    client = limited_app.test_client()
    for n in range(3):
        assert _attempt(client, cso_user.email, address=f"198.51.100.{n}").status_code == 200
    typed = "Three pages on community security in Kasserine. " * 5
    data = payload(body=typed, reauth_email=cso_user.email, reauth_password=PASSWORD)
    refused = client.post(
        new_url(consultation), data=data, environ_base={"REMOTE_ADDR": "198.51.100.77"}
    )
    assert refused.status_code == 429
    assert typed.strip() in refused.get_data(as_text=True)  # nothing typed is lost
    assert count_inputs() == 0


def test_the_input_forms_sign_in_box_counts_against_the_sign_in_page(
    limited_app, cso_user, consultation
):
    from tests.submissions.conftest import new_url, payload

    client = limited_app.test_client()
    wrong = payload(reauth_email=cso_user.email, reauth_password="wrong-password-123")
    for n in range(3):
        response = client.post(
            new_url(consultation), data=wrong, environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}
        )
        assert response.status_code == 401
    assert (
        _attempt(client, cso_user.email, address="192.0.2.99", password=PASSWORD).status_code == 429
    )


def test_changing_the_password_is_limited_per_account(limited_app, cso_user):
    """A stolen session must not become a way to guess the current password."""
    from tests.factories import login

    client = login(limited_app.test_client(), cso_user)
    wrong = {
        "current_password": "not-the-password-1",
        "new_password": "a brand new passphrase 2026",
        "confirm": "a brand new passphrase 2026",
    }
    for n in range(3):
        response = client.post(
            "/auth/password", data=wrong, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        )
        assert response.status_code == 400
    blocked = client.post("/auth/password", data=wrong)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
