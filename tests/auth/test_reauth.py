"""Sensitive steps ask for the password and the second factor again when the last
sign-in is older than 15 minutes: creating an API token, changing the second factor,
downloading an internal digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.extensions import db
from consult.timeutil import utcnow
from tests import factories
from tests.factories import PASSWORD

LATER = timedelta(minutes=16)


def _sign_in(client, user):
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    if response.headers.get("Location", "").endswith("/auth/two-factor"):
        response = client.post("/auth/two-factor", data={"code": factories.totp_code(user)})
    assert response.status_code == 302


def _code(user, later=1):
    db.session.expire_all()
    return factories.totp_code(db.session.get(User, user.id), later=later)


def _tokens() -> list[ApiToken]:
    db.session.expire_all()
    return list(db.session.scalars(select(ApiToken)))


def test_token_creation_asks_again_after_15_minutes(app, cso_user):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, cso_user)
    with freeze_time(start + LATER):
        response = client.post("/account/tokens", data={"name": "laptop", "expires_on": ""})
        assert response.status_code == 302
        assert "/auth/confirm?next=/account/tokens" in response.headers["Location"]
        assert _tokens() == []
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "confirm it is you" in page.lower() and 'name="password"' in page
        assert 'name="code"' not in page  # this account has no second factor
        wrong = client.post(
            "/auth/confirm?next=/account/tokens", data={"password": "not my password"}
        )
        assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
        assert client.post("/account/tokens", data={"name": "laptop"}).status_code == 302
        done = client.post("/auth/confirm?next=/account/tokens", data={"password": PASSWORD})
        assert done.status_code == 302 and done.headers["Location"] == "/account/tokens"
        created = client.post("/account/tokens", data={"name": "laptop", "expires_on": ""})
        assert created.status_code == 200 and "shown only once" in created.get_data(as_text=True)
    assert [t.name for t in _tokens()] == ["laptop"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"auth.reauthenticated", "auth.reauthentication_failed"} <= actions


def test_within_15_minutes_nothing_is_asked(app, cso_user):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, cso_user)
    with freeze_time(start + timedelta(minutes=14)):
        response = client.post("/account/tokens", data={"name": "laptop", "expires_on": ""})
        assert response.status_code == 200
    assert len(_tokens()) == 1


def test_staff_confirm_with_password_and_code(app, hq_user):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, hq_user)
    with freeze_time(start + LATER):
        response = client.get("/digest/download/csv?audience=internal")
        assert response.status_code == 302
        target = response.headers["Location"]
        assert target.startswith("/auth/confirm?next=") and "download/csv" in target
        page = client.get(target).get_data(as_text=True)
        assert 'name="code"' in page
        # The password alone is not enough for an account with a second factor.
        alone = client.post(target, data={"password": PASSWORD})
        assert alone.status_code == 400
        assert client.get("/digest/download/csv?audience=internal").status_code == 302
        done = client.post(target, data={"password": PASSWORD, "code": _code(hq_user, later=0)})
        assert (
            done.status_code == 302
            and done.headers["Location"] == "/digest/download/csv?audience=internal"
        )
        download = client.get("/digest/download/csv?audience=internal")
        assert download.status_code == 200
        assert "attachment" in download.headers["Content-Disposition"]


def test_the_digest_page_itself_does_not_ask(app, hq_user):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, hq_user)
    with freeze_time(start + LATER):
        assert client.get("/digest/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/auth/two-factor/setup"),
        ("post", "/auth/two-factor/recovery-codes"),
        ("post", "/auth/two-factor/disable"),
    ],
)
def test_changing_the_second_factor_asks_again(app, cso_user, method, path):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, cso_user)
    with freeze_time(start + LATER):
        response = getattr(client, method)(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/confirm?next=")


def test_enrolment_while_signing_in_is_not_interrupted(app):
    admin = factories.make_user("new.admin@consult.example.org", "admin", totp_secret="")
    client = app.test_client()
    response = client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/two-factor/setup")
    with freeze_time(utcnow() + timedelta(minutes=5)):
        assert client.get("/auth/two-factor/setup").status_code == 200


def test_the_confirm_page_returns_only_to_this_site(app, cso_user):
    client = app.test_client()
    _sign_in(client, cso_user)
    response = client.post(
        "/auth/confirm?next=https://evil.example.org/", data={"password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/auth/account"
