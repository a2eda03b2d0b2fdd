"""Sessions that really end: logout, password change, deactivation, timeouts, cookies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from freezegun import freeze_time

from consult.auth.models import User
from consult.auth.session import SESSION_ID, end_all_sessions
from consult.extensions import db
from consult.timeutil import utcnow
from tests import factories
from tests.factories import PASSWORD

ACCOUNT = "/auth/account"


def _sign_in(client, user, password=PASSWORD):
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    if response.headers.get("Location", "").endswith("/auth/two-factor"):
        response = client.post("/auth/two-factor", data={"code": _unused_code(user)})
    assert response.status_code == 302
    return response


def _unused_code(user):
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    from consult.auth.totp import current_step

    later = 0 if fresh.totp_last_step is None or fresh.totp_last_step < current_step() else 1
    return factories.totp_code(fresh, later=later)


def _cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _redirected_to_login(response) -> bool:
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_logout_ends_every_session_of_the_user(app, cso_user):
    laptop, phone = app.test_client(), app.test_client()
    _sign_in(laptop, cso_user)
    _sign_in(phone, cso_user)
    assert phone.get(ACCOUNT).status_code == 200
    laptop.post("/auth/logout")
    assert _redirected_to_login(phone.get(ACCOUNT))
    assert _redirected_to_login(laptop.get(ACCOUNT))


def test_cookie_captured_before_logout_gets_a_redirect_not_a_page(app, moderator_user):
    client = app.test_client()
    _sign_in(client, moderator_user)
    assert client.get(ACCOUNT).status_code == 200
    captured = _cookie(client)
    client.post("/auth/logout")
    thief = app.test_client()
    thief.set_cookie("session", captured)
    for path in (ACCOUNT, "/review/queue", "/auth/password"):
        response = thief.get(path)
        assert _redirected_to_login(response), path
        assert b"mod.tn@" not in response.data


def test_password_change_ends_other_sessions_and_keeps_this_one(app, cso_user):
    this, other = app.test_client(), app.test_client()
    _sign_in(this, cso_user)
    _sign_in(other, cso_user)
    new = "another-long-passphrase-58"
    response = this.post(
        "/auth/password", data={"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert this.get(ACCOUNT).status_code == 200
    assert _redirected_to_login(other.get(ACCOUNT))


def test_deactivation_ends_every_session(app, admin_user, cso_user, login):
    client = login(app.test_client(), cso_user)
    assert client.get(ACCOUNT).status_code == 200
    user = db.session.get(User, cso_user.id)
    user.active = False
    end_all_sessions(user)
    db.session.commit()
    assert _redirected_to_login(client.get(ACCOUNT))
    # reactivated later, the old cookie still does not work
    user.active = True
    db.session.commit()
    assert _redirected_to_login(client.get(ACCOUNT))


def test_session_is_new_at_login(app, cso_user):
    client = app.test_client()
    with client.session_transaction() as sess:  # planted before login (session fixation)
        sess["planted"] = "by-an-attacker"
        sess[SESSION_ID] = "attacker-chosen-id"
    before = _cookie(client)
    _sign_in(client, cso_user)
    after = _cookie(client)
    assert after and after != before
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess[SESSION_ID] != "attacker-chosen-id" and len(sess[SESSION_ID]) >= 16
    first_id = sess[SESSION_ID]
    client.post("/auth/logout")
    _sign_in(client, cso_user)
    with client.session_transaction() as sess:
        assert sess[SESSION_ID] != first_id


@pytest.mark.parametrize(("fixture", "minutes"), [("hq_user", 30), ("cso_user", 120)])
def test_idle_timeout(app, request, fixture, minutes):
    user = request.getfixturevalue(fixture)
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, user)
    with freeze_time(start + timedelta(minutes=minutes - 1)):
        assert client.get(ACCOUNT).status_code == 200  # activity keeps it alive
    with freeze_time(start + timedelta(minutes=2 * minutes - 3)):
        assert client.get(ACCOUNT).status_code == 200
    with freeze_time(start + timedelta(minutes=3 * minutes)):
        response = client.get(ACCOUNT)
        assert _redirected_to_login(response)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Your session expired" in page
        assert client.get(ACCOUNT).status_code == 302  # and it stays ended


def test_idle_timeout_is_configurable(make_app, app, hq_user):
    short = make_app(STAFF_IDLE_MINUTES=5)
    client = factories.login(short.test_client(), hq_user)
    start = utcnow()
    with freeze_time(start + timedelta(minutes=6)), short.app_context():
        assert _redirected_to_login(client.get(ACCOUNT))


def test_absolute_timeout_even_when_active(app, cso_user):
    client = app.test_client()
    start = utcnow()
    with freeze_time(start):
        _sign_in(client, cso_user)
    hours = app.config["SESSION_ABSOLUTE_HOURS"]
    at = start
    while at < start + timedelta(hours=hours - 1):
        at += timedelta(minutes=100)
        with freeze_time(at):
            assert client.get(ACCOUNT).status_code == 200
    with freeze_time(start + timedelta(hours=hours, minutes=1)):
        assert _redirected_to_login(client.get(ACCOUNT))


def test_session_without_timestamps_is_not_accepted(app, cso_user):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = cso_user.get_id()
    assert _redirected_to_login(client.get(ACCOUNT))


def test_cookie_flags_in_development(app, cso_user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookie_flags_in_production(make_app, app, cso_user):
    prod = make_app(
        ENV_NAME="production",
        SECRET_KEY="p" * 64,
        TOTP_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DEBUG=False,
        TESTING=True,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_ENABLED=False,
    )
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    client = prod.test_client()
    with prod.app_context():
        response = client.post(
            "/auth/login",
            data={"email": cso_user.email, "password": PASSWORD},
            base_url="https://consult.example.org",
        )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-consult=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie
