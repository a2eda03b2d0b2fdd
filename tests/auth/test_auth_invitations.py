"""Invitations and password resets: one-time links that expire."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from freezegun import freeze_time

from consult.auth.invitations import create_invitation
from consult.auth.mail import OUTBOX, last_message
from consult.auth.models import AccountToken, User
from consult.auth.services import create_user
from consult.extensions import db
from consult.timeutil import utcnow
from tests.factories import PASSWORD

NEW = "a-new-and-long-passphrase-63"
FORGOT_ANSWER = "If an account uses that address, a link to choose a new password is on its way"


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture(autouse=True)
def _empty_outbox():
    OUTBOX.clear()


def _invited(email="invited@consult.example.org", role="hq", **kw) -> tuple[User, str]:
    user = create_user(email, role, None, **kw)
    link = create_invitation(user, None)
    db.session.commit()
    return user, link


def test_invitation_link_is_mailed_and_only_its_hash_stored(app):
    user, link = _invited()
    message = last_message(user.email)
    assert message.link == link and link in message.body
    token = link.split("?token=", 1)[1]
    assert len(token) >= 40
    stored = db.session.scalars(db.select(AccountToken)).one()
    assert stored.purpose == "invite" and token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_invitation_without_smtp_logs_only_the_link(app, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    user, link = _invited("quiet@consult.example.org")
    path = _path(link)
    lines = [r.getMessage() for r in caplog.records if path in r.getMessage()]
    # the link and nothing else (a host given as an IP address shows as "[address]")
    assert len(lines) == 1
    assert lines[0].startswith("account link: http") and lines[0].endswith(path)
    assert not any(user.email in r.getMessage() for r in caplog.records)


def test_invitation_sets_the_first_password_once(client):
    user, link = _invited()
    page = client.get(_path(link), follow_redirects=True)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    short = client.post(_path(link), data={"new_password": "short", "confirm": "short"})
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = client.post(_path(link), data={"new_password": NEW, "confirm": NEW})
    assert done.headers["Location"].endswith("/auth/login")
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")
    again = client.get(_path(link), follow_redirects=True)
    assert again.status_code == 404
    assert "does not work any more" in again.get_data(as_text=True)
    # staff then sign in and are asked to enrol a second factor
    response = client.post("/auth/login", data={"email": user.email, "password": NEW})
    assert response.headers["Location"].endswith("/auth/two-factor/setup")


def test_invitation_expires(client, app):
    with freeze_time(utcnow()):
        _user, link = _invited()
    with freeze_time(utcnow() + timedelta(days=8)):
        assert client.get(_path(link), follow_redirects=True).status_code == 404


def test_a_new_invitation_voids_the_previous_one(client, app):
    user, first = _invited()
    second = create_invitation(user, None)
    db.session.commit()
    assert client.get(_path(first), follow_redirects=True).status_code == 404
    assert client.get(_path(second), follow_redirects=True).status_code == 200


def test_invite_command_creates_account_and_prints_link(runner, app, organisation):
    result = runner.invoke(
        args=["invite", "new.member@tcf.example.org", "--role", "cso", "--org", organisation.name]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "new.member@tcf.example.org"))
    assert user.password_hash is None and user.organisation_id == organisation.id
    assert last_message(user.email).link in result.output


def test_invite_command_refuses_bad_input_in_one_line(runner, app):
    result = runner.invoke(args=["invite", "mod@eeas.example.org", "--role", "moderator"])
    assert result.exit_code == 2
    assert "delegation" in result.output
    missing = runner.invoke(
        args=["invite", "x@y.example.org", "--role", "cso", "--org", "No Such Org"]
    )
    assert missing.exit_code == 2 and "No organisation" in missing.output


def test_forgot_password_answer_is_the_same_for_unknown_emails(client, cso_user):
    known = client.post("/auth/forgot", data={"email": cso_user.email})
    unknown = client.post("/auth/forgot", data={"email": "nobody@nowhere.example.org"})
    assert known.status_code == unknown.status_code == 200
    assert FORGOT_ANSWER in known.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert [m.to for m in OUTBOX] == [cso_user.email]


def test_deactivated_account_gets_no_reset_link(client, app):
    from tests import factories

    org = factories.make_organisation("Closed Org", ["TN"])
    gone = factories.make_user("gone@closed.example.org", "cso", organisation=org, active=False)
    response = client.post("/auth/forgot", data={"email": gone.email})
    assert FORGOT_ANSWER in response.get_data(as_text=True)
    assert len(OUTBOX) == 0


def test_reset_link_works_once_and_ends_every_session(client, app, cso_user, login):
    other_device = app.test_client()
    login(other_device, cso_user)
    assert other_device.get("/auth/account").status_code == 200
    client.post("/auth/forgot", data={"email": cso_user.email})
    path = _path(last_message(cso_user.email).link)
    assert client.post(path, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert other_device.get("/auth/account").status_code == 302
    assert client.get(path, follow_redirects=True).status_code == 404
    assert "do not match" in client.post(
        "/auth/login", data={"email": cso_user.email, "password": PASSWORD}
    ).get_data(as_text=True)
    assert (
        client.post("/auth/login", data={"email": cso_user.email, "password": NEW}).status_code
        == 302
    )


def test_reset_link_expires_after_an_hour(client, app, cso_user):
    start = utcnow()
    with freeze_time(start):
        client.post("/auth/forgot", data={"email": cso_user.email})
    path = _path(last_message(cso_user.email).link)
    with freeze_time(start + timedelta(minutes=61)):
        response = client.post(path, data={"new_password": NEW, "confirm": NEW})
    assert response.status_code == 404
    assert db.session.get(User, cso_user.id).password_changed_at is None


def test_reset_refuses_weak_password_and_keeps_link(client, cso_user):
    client.post("/auth/forgot", data={"email": cso_user.email})
    path = _path(last_message(cso_user.email).link)
    weak = client.post(path, data={"new_password": "qwertyuiop123", "confirm": "qwertyuiop123"})
    assert weak.status_code == 400
    assert "most common" in weak.get_data(as_text=True)
    assert client.get(path, follow_redirects=True).status_code == 200


def test_smtp_delivery_when_configured(make_app, monkeypatch):
    import smtplib

    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            raise smtplib.SMTPNotSupportedError

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app = make_app(SMTP_HOST="mail.example.org", SMTP_PORT=2525)
    import threading

    from consult.auth.mail import send_mail

    with app.app_context():
        send_mail("x@example.org", "Subject", "Body", link="https://l.example.org/t")
    for thread in threading.enumerate():
        if thread.name == "consult-mail":
            thread.join(timeout=5)
    assert sent[0] == ("mail.example.org", 2525)
    assert sent[1]["To"] == "x@example.org" and "Body" in sent[1].get_content()
    assert len(OUTBOX) == 0


def test_link_token_leaves_the_url_after_the_first_request(client, caplog):
    """Browser history and request lines hold the bare path, never the one-time token."""
    import logging

    user, link = _invited()
    token = link.split("?token=", 1)[1]
    first = client.get(_path(link))
    assert first.status_code == 302 and first.headers["Location"] == "/auth/invite"
    page = client.get("/auth/invite")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    done = client.post("/auth/invite", data={"new_password": NEW, "confirm": NEW})
    assert done.headers["Location"].endswith("/auth/login")
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")

    # A server's request line with the token is logged without it.
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"GET %s HTTP/1.1" 302 -', _path(link))
    logged = caplog.records[-1].getMessage()
    assert token not in logged and "/auth/invite?token=[token]" in logged


def test_a_link_without_token_is_refused(client):
    for path in ("/auth/invite", "/auth/reset", "/auth/reset?token=", "/auth/invite?token=nope"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert "does not work any more" in response.get_data(as_text=True)
