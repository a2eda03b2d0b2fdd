"""Signing in and out, role home pages, password change."""

from __future__ import annotations

import pytest

from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.extensions import db
from tests import factories
from tests.factories import PASSWORD

WRONG = "That email and password do not match an active account"


def _login(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


@pytest.mark.parametrize("fixture", ["cso_user", "moderator_user", "hq_user", "admin_user"])
def test_each_role_lands_on_its_home_page(request, app, client, fixture):
    from flask import url_for

    from consult.main.views import HOME_ENDPOINTS

    user = request.getfixturevalue(fixture)
    response = _login(client, user.email.upper())
    assert response.status_code == 302
    if user.totp_secret:  # EU staff: the password alone does not sign in
        assert response.headers["Location"].endswith("/auth/two-factor")
        response = client.post("/auth/two-factor", data={"code": factories.totp_code(user)})
        assert response.status_code == 302
    with app.test_request_context():
        home = url_for(HOME_ENDPOINTS[user.role])
    landing = client.get("/", follow_redirects=False)
    assert landing.status_code == 302
    assert landing.headers["Location"] == home
    assert client.get(landing.headers["Location"]).status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_message(client, cso_user):
    wrong = _login(client, cso_user.email, "not-the-password-at-all")
    unknown = _login(client, "nobody@nowhere.example.org", "not-the-password-at-all")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    # the email typed is kept in the form
    assert cso_user.email in wrong.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302


def test_deactivated_account_cannot_sign_in(client, app):
    org = factories.make_organisation("Inactive Org", ["TN"])
    user = factories.make_user("gone@inactive.example.org", "cso", organisation=org, active=False)
    response = _login(client, user.email)
    assert WRONG in response.get_data(as_text=True)


def test_failed_login_is_audited_without_address(client, cso_user):
    _login(client, cso_user.email, "wrong-password-here")
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
    ).one()
    assert "127.0.0.1" not in str(event.detail)


def test_logout_ends_the_session_and_old_cookie_is_useless(client, cso_user):
    _login(client, cso_user.email)
    assert client.get("/auth/account").status_code == 200
    with client.session_transaction() as sess:
        captured = dict(sess)
    client.post("/auth/logout")
    assert client.get("/auth/account").status_code == 302
    with client.session_transaction() as sess:
        sess.update(captured)
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_next_parameter_only_allows_local_paths(client, cso_user):
    response = client.post(
        "/auth/login?next=https://evil.example.org/",
        data={"email": cso_user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_password_change(client, cso_user):
    _login(client, cso_user.email)
    new = "a-brand-new-passphrase-77"
    response = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    assert WRONG in _login(client, cso_user.email).get_data(as_text=True)
    assert _login(client, cso_user.email, new).status_code == 302
    stored = db.session.get(User, cso_user.id).password_hash
    assert stored.startswith("$argon2id$")


def test_password_change_refuses_short_and_wrong_current(client, cso_user):
    _login(client, cso_user.email)
    short = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"},
    )
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    wrong = client.post(
        "/auth/password",
        data={
            "current_password": "not-my-password-1",
            "new_password": "another-long-phrase-99",
            "confirm": "another-long-phrase-99",
        },
    )
    assert wrong.status_code == 400
    assert "current password is not correct" in wrong.get_data(as_text=True)


def test_emails_are_unique_without_regard_to_case(app, cso_user):
    from consult.auth.services import AccountError, create_user

    with pytest.raises(AccountError):
        create_user(cso_user.email.upper(), "hq", PASSWORD + "x")
