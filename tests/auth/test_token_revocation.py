"""API tokens die with the account's other credentials (sessions): every event that
ends a user's sessions for security also revokes every API token of theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.api.models import ApiToken
from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.auth.tokens import Purpose, issue_token
from consult.extensions import db
from tests import factories
from tests.conftest import new_api_client as api_client
from tests.conftest import new_token as make_token
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new passphrase 42"


def _works(app, raw: str) -> bool:
    return api_client(app, token=raw).get("/me").status_code == 200


def _revocation(user) -> AuditEvent:
    db.session.expire_all()
    events = list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "api_tokens.revoked_all",
                AuditEvent.object_id == str(user.id),
            )
        )
    )
    assert len(events) == 1
    return events[0]


def _all_revoked(user) -> bool:
    db.session.expire_all()
    tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    return bool(tokens) and all(t.revoked_at is not None for t in tokens)


@pytest.fixture
def two_tokens(app, cso_user):
    raws = [make_token(cso_user, "laptop"), make_token(cso_user, "sync job")]
    assert all(_works(app, raw) for raw in raws)
    return raws


def test_password_change_revokes_every_token(app, cso_user, two_tokens, login):
    client = login(app.test_client(), cso_user)
    response = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )
    assert "your API tokens are revoked" in response.get_data(as_text=True)
    assert not any(_works(app, raw) for raw in two_tokens)
    assert _all_revoked(cso_user)
    event = _revocation(cso_user)
    assert event.detail["reason"] == "password_changed" and event.detail["count"] == 2


def test_password_reset_revokes_every_token(app, cso_user, two_tokens):
    token = issue_token(cso_user, Purpose.RESET)
    db.session.commit()
    response = app.test_client().post(
        f"/auth/reset?token={token}",
        data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not any(_works(app, raw) for raw in two_tokens)
    assert _revocation(cso_user).detail["reason"] == "password_reset"


def test_logout_revokes_every_token(app, cso_user, two_tokens, login):
    client = login(app.test_client(), cso_user)
    response = client.post("/auth/logout", follow_redirects=True)
    assert "API tokens are revoked" in response.get_data(as_text=True)
    assert not any(_works(app, raw) for raw in two_tokens)
    assert _revocation(cso_user).detail["reason"] == "logout"


def test_admin_two_factor_reset_revokes_every_token(app, admin_user, hq_user, login):
    raw = make_token(hq_user)
    assert _works(app, raw)
    client = login(app.test_client(), admin_user)
    response = client.post(f"/admin/users/{hq_user.id}/reset-two-factor", follow_redirects=True)
    assert "API tokens are revoked" in response.get_data(as_text=True)
    assert not _works(app, raw)
    event = _revocation(hq_user)
    assert event.detail["reason"] == "two_factor_reset" and event.actor_id == admin_user.id


def test_deactivation_revokes_every_token_even_after_reactivation(
    app, admin_user, cso_user, two_tokens, login
):
    client = login(app.test_client(), admin_user)
    client.post(f"/admin/users/{cso_user.id}/deactivate")
    client.post(f"/admin/users/{cso_user.id}/reactivate")
    db.session.expire_all()
    assert db.session.get(User, cso_user.id).active
    assert not any(_works(app, raw) for raw in two_tokens)
    assert _revocation(cso_user).detail["reason"] == "deactivated"


def test_role_change_revokes_every_token_and_ends_sessions(
    app, runner, cso_user, two_tokens, login
):
    client = login(app.test_client(), cso_user)
    assert client.get("/auth/account").status_code == 200
    result = runner.invoke(args=["set-role", cso_user.email, "--role", "hq"])
    assert result.exit_code == 0, result.output
    assert "API tokens revoked" in result.output
    db.session.expire_all()
    assert db.session.get(User, cso_user.id).role == "hq"
    assert not any(_works(app, raw) for raw in two_tokens)
    assert client.get("/auth/account").status_code == 302
    assert _revocation(cso_user).detail["reason"] == "role_changed"


def test_role_change_needs_its_membership(app, runner, cso_user, two_tokens):
    result = runner.invoke(args=["set-role", cso_user.email, "--role", "moderator"])
    assert result.exit_code != 0 and "needs a delegation" in result.output
    assert all(_works(app, raw) for raw in two_tokens)


def test_account_page_says_which_events_revoke_tokens(client, cso_user, login):
    login(client, cso_user)
    page = client.get("/auth/account").get_data(as_text=True)
    assert "revoke all your API tokens" in page


def test_other_users_tokens_stay(app, cso_user, login):
    other = factories.make_user("other@tcf.example.org", "cso", organisation=cso_user.organisation)
    raw = make_token(other)
    client = login(app.test_client(), cso_user)
    client.post("/auth/logout")
    assert _works(app, raw)
