"""Personal access tokens: the account page, the CLI, and bearer authentication."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.api.tokens import hash_token
from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.timeutil import utcnow
from tests.factories import make_user

TOKEN_RE = re.compile(r"cst_[A-Za-z0-9_-]{30,}")


def test_account_page_creates_a_token_shown_once_and_stored_hashed(
    client, cso_user, login, api_client
):
    login(client, cso_user)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "You have no tokens yet." in page

    response = client.post("/account/tokens", data={"name": "field laptop", "expires_on": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "shown only once" in page
    raw = TOKEN_RE.search(page).group(0)

    token = db.session.scalar(select(ApiToken))
    assert token.name == "field laptop" and token.expires_at is None
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash

    # Listed with its name, never shown again.
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "field laptop" in page and "Never used" in page
    assert raw not in page

    # It works for the API, and the page then shows when it was last used.
    api = api_client(client.application, token=raw)
    assert api.get("/me").get_json()["email"] == cso_user.email
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Never used" not in page


def test_account_page_sets_expiry_and_keeps_input_on_error(client, cso_user, login):
    login(client, cso_user)
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    response = client.post("/account/tokens", data={"name": "sync job", "expires_on": yesterday})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose today or a later day." in page and 'value="sync job"' in page
    assert db.session.scalar(select(ApiToken)) is None

    response = client.post("/account/tokens", data={"name": "", "expires_on": ""})
    assert "Give the token a name." in response.get_data(as_text=True)

    tomorrow = (utcnow() + timedelta(days=1)).date()
    client.post("/account/tokens", data={"name": "sync job", "expires_on": tomorrow.isoformat()})
    token = db.session.scalar(select(ApiToken))
    assert token.expires_at.date() == tomorrow + timedelta(days=1)


def test_revoked_token_is_refused(client, cso_user, login, api_client, make_token):
    raw = make_token(cso_user, "old script")
    api = api_client(client.application, token=raw)
    assert api.get("/me").status_code == 200

    login(client, cso_user)
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Revoked" in page and "no longer works" in page

    response = api.get("/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "api_token.created" in actions and "api_token.revoked" in actions


def test_nobody_revokes_someone_elses_token(
    client, cso_user, hq_user, login, api_client, make_token
):
    raw = make_token(cso_user)
    token = db.session.scalar(select(ApiToken))
    login(client, hq_user)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.post("/account/tokens/not-a-uuid/revoke").status_code == 404
    assert api_client(client.application, token=raw).get("/me").status_code == 200


def test_profile_page_links_to_tokens(client, cso_user, login):
    login(client, cso_user)
    with client.application.test_request_context():
        profile = url_for("auth.profile")
    page = client.get(profile).get_data(as_text=True)
    assert 'href="/account/tokens"' in page


def test_token_pages_need_sign_in(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_cli_prints_the_token_alone_on_its_last_line(app, runner, moderator_user, api_client):
    result = runner.invoke(args=["create-token", "MOD.TN@eeas.example.org", "--name", "demo"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert TOKEN_RE.fullmatch(last)
    assert result.stdout.strip() == last
    client = api_client(app, token=last)
    assert client.get("/me").get_json()["role"] == "moderator"


def test_cli_refuses_unknown_or_inactive_accounts(app, runner):
    result = runner.invoke(args=["create-token", "nobody@example.org", "--name", "x"])
    assert result.exit_code == 2 and "No account" in result.output
    make_user("gone@example.org", "hq", active=False)
    result = runner.invoke(args=["create-token", "gone@example.org", "--name", "x"])
    assert result.exit_code == 2 and "deactivated" in result.output


def test_missing_wrong_expired_revoked_tokens_are_401_json(app, cso_user, api_client, make_token):
    expired = make_token(cso_user, "expired", expires_at=utcnow() + timedelta(seconds=1))
    db.session.scalar(select(ApiToken).where(ApiToken.name == "expired")).expires_at = (
        utcnow() - timedelta(minutes=1)
    )
    revoked = make_token(cso_user, "revoked")
    db.session.scalar(select(ApiToken).where(ApiToken.name == "revoked")).revoked_at = utcnow()
    db.session.commit()

    for headers in (
        {},
        {"Authorization": "Bearer cst_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {revoked}"},
    ):
        response = api_client(app, token=None).get("/reference", headers=headers)
        assert response.status_code == 401, headers
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_deactivated_user_token_stops_working(app, cso_user, api_client):
    api = api_client(app, cso_user)
    assert api.get("/me").status_code == 200
    cso_user.active = False
    db.session.commit()
    assert api.get("/me").status_code == 401


def test_a_signed_in_browser_session_is_not_accepted_and_no_cookie_is_set(
    client, cso_user, login, make_token
):
    login(client, cso_user)
    assert client.get("/account/tokens").status_code == 200  # the session works for pages
    response = client.get("/api/v1/reference")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers

    raw = make_token(cso_user)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_token_requests_need_no_csrf_but_pages_do(
    make_app, app, cso_user, consultation, make_token
):
    strict = make_app(WTF_CSRF_ENABLED=True)
    raw = make_token(cso_user)
    client = strict.test_client()
    response = client.post(
        "/api/v1/inputs",
        json={"consultation": consultation.slug, "draft": True, "title": "Draft via API"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert response.get_json()["status"] == "draft"

    from tests.factories import login

    login(client, cso_user)
    response = client.post("/account/tokens", data={"name": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(ApiToken).where(ApiToken.name == "x")) is None


def test_last_used_is_recorded(app, cso_user, api_client):
    api = api_client(app, cso_user)
    token = db.session.scalar(select(ApiToken))
    assert token.last_used_at is None
    api.get("/me")
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_staff_tokens_must_expire_within_the_limit(client, hq_user, login):
    """A token skips the second factor, so EU staff cannot make one that never ends."""
    client.application.config["API_STAFF_TOKEN_MAX_DAYS"] = 30
    login(client, hq_user)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "EU staff tokens must expire" in page

    response = client.post("/account/tokens", data={"name": "digest sync", "expires_on": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tokens of EU staff must expire: choose a day within 30 days." in page
    assert 'value="digest sync"' in page

    too_late = (utcnow() + timedelta(days=45)).date().isoformat()
    response = client.post("/account/tokens", data={"name": "digest sync", "expires_on": too_late})
    assert response.status_code == 400
    assert "may last at most 30 days" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None

    in_time = (utcnow() + timedelta(days=30)).date().isoformat()
    response = client.post("/account/tokens", data={"name": "digest sync", "expires_on": in_time})
    assert response.status_code == 200
    assert TOKEN_RE.search(response.get_data(as_text=True))
    assert db.session.scalar(select(ApiToken)).expires_at is not None


def test_cli_gives_staff_tokens_the_longest_expiry_allowed(app, runner, moderator_user):
    app.config["API_STAFF_TOKEN_MAX_DAYS"] = 30
    result = runner.invoke(args=["create-token", moderator_user.email, "--name", "sync"])
    assert result.exit_code == 0, result.output
    token = db.session.scalar(select(ApiToken))
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)

    result = runner.invoke(
        args=["create-token", moderator_user.email, "--name", "long", "--days", "365"]
    )
    assert result.exit_code == 2 and "may last at most 30 days" in result.output


def test_cso_tokens_may_live_without_expiry_from_the_cli(app, runner, cso_user):
    result = runner.invoke(args=["create-token", cso_user.email, "--name", "field laptop"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(ApiToken)).expires_at is None
