"""Sessions live on the server: the cookie is a random id, and ending a session deletes it."""

from __future__ import annotations

from consult.auth.session_store import KEY_PREFIX
from tests.factories import PASSWORD


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _stored(app, sid: str):
    return app.session_interface.cache.get(KEY_PREFIX + sid)


def test_the_cookie_carries_an_id_and_the_server_the_session(app, cso_user):
    client = app.test_client()
    client.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    sid = _cookie(client)
    assert "." not in sid and len(sid) >= 40  # no signed payload, just a random id
    stored = _stored(app, sid)
    assert stored["_user_id"] == cso_user.get_id()
    assert {"consult_started", "consult_seen", "consult_authenticated"} <= set(stored)


def test_sign_in_drops_the_session_from_before(app, cso_user):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "by-an-attacker"
    planted = _cookie(client)
    assert _stored(app, planted) is not None
    client.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    assert _cookie(client) != planted
    assert _stored(app, planted) is None


def test_logout_deletes_the_session_on_the_server(app, cso_user):
    client = app.test_client()
    client.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    sid = _cookie(client)
    client.post("/auth/logout")
    assert _stored(app, sid) is None
    thief = app.test_client()
    thief.set_cookie("session", sid)
    assert thief.get("/auth/account").status_code == 302
