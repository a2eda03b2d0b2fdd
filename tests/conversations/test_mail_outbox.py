"""Notification email against a real local SMTP server: no content, batching, the outage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult.conversations.services import post_message
from consult.extensions import db
from consult.notifications.models import Notification, NotificationPreference, OutboxMail
from consult.notifications.outbox import run_once
from consult.timeutil import utcnow
from tests.conversations.smtp import Inbox, free_port, start


@pytest.fixture
def smtp(app):
    """A running SMTP server, and the app's settings pointing at it (plaintext: a local relay)."""
    inbox = Inbox()
    port = free_port()
    controller = start(inbox, port)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_ALLOW_PLAINTEXT=True)
    yield inbox
    controller.stop()


@pytest.fixture
def quiet(people):
    """The fixture's inputs were told to their reviewers already: only new news counts here."""
    db.session.execute(update(Notification).values(emailed=True))
    db.session.commit()
    return people


def _to(inbox: Inbox, user) -> list:
    return [m for m in inbox.messages if m["To"] == user.email]


def test_emails_carry_no_content(quiet, people, smtp, runner):
    item = people.item
    secret_text = "The checkpoint at kilometre 12 is where they wait"
    post_message(people.moderator, item, secret_text, question=True)
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output  # both members of the organisation, at once

    mails = _to(smtp, people.cso)
    assert len(mails) == 1
    mail = mails[0]
    whole = mail.as_string()
    body = mail.get_payload(decode=True).decode()
    assert "There is news on consult; sign in to read it" in body
    assert "/notifications" in body
    forbidden = [
        item.title,
        secret_text,
        "kilometre",
        people.cso.organisation.name,
        "Tunisia",
        "Tunis",
        "TN",
        "Delegation",
        consultation_title(item),
        people.moderator.email,
    ]
    for word in forbidden:
        assert word not in whole, word
    assert mail["Subject"] == "News on consult"


def consultation_title(item) -> str:
    return item.consultation.title


def test_staff_get_at_most_one_email_an_hour(people, smtp):
    post_message(people.cso, people.item, "First answer")
    db.session.commit()
    now = utcnow()
    run_once(now)
    post_message(people.cso, people.item, "Second answer")
    post_message(people.cso, people.item, "Third answer")
    db.session.commit()
    run_once(now + timedelta(minutes=20))
    # The queue notification and the first answer: one email; the next two wait for the hour.
    assert len(_to(smtp, people.moderator)) == 1
    run_once(now + timedelta(minutes=61))
    assert len(_to(smtp, people.moderator)) == 2
    run_once(now + timedelta(minutes=200))
    assert len(_to(smtp, people.moderator)) == 2  # nothing new: nothing sent


def test_none_sends_nothing_and_daily_sends_one_summary(people, smtp):
    db.session.add(NotificationPreference(user_id=people.cso.id, frequency="none"))
    db.session.add(NotificationPreference(user_id=people.colleague.id, frequency="daily"))
    db.session.commit()
    post_message(people.moderator, people.item, "One")
    db.session.commit()
    now = utcnow()
    run_once(now)
    post_message(people.moderator, people.item, "Two")
    db.session.commit()
    run_once(now + timedelta(hours=2))
    assert _to(smtp, people.cso) == []
    assert len(_to(smtp, people.colleague)) == 1
    run_once(now + timedelta(hours=25))
    assert len(_to(smtp, people.colleague)) == 2


def test_an_outage_loses_nothing_and_sends_each_email_once(quiet, people, app):
    port = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_ALLOW_PLAINTEXT=True)
    post_message(people.moderator, people.item, "Asked while the mail server is down")
    db.session.commit()
    now = utcnow()
    composed, delivery = run_once(now)  # nobody listens on the port: the server is down
    assert composed == 2 and delivery.sent == 0 and delivery.retried == 2
    rows = db.session.scalars(select(OutboxMail)).all()
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all(r.last_error for r in rows)
    assert all(r.next_attempt_at > now for r in rows)  # backoff: not again at once

    _composed, again = run_once(now + timedelta(seconds=5))
    assert again.sent == 0 and again.retried == 0  # still waiting out the backoff

    inbox = Inbox()
    controller = start(inbox, port)  # the server is back
    try:
        _composed, back = run_once(now + timedelta(minutes=30))
        assert back.sent == 2
        run_once(now + timedelta(hours=3))
        run_once(now + timedelta(hours=7))
    finally:
        controller.stop()
    ids = [m["Message-ID"] for m in inbox.messages]
    assert sorted(m["To"] for m in inbox.messages) == sorted(
        [people.cso.email, people.colleague.email]
    )
    assert len(ids) == len(set(ids)) == 2
    db.session.expire_all()
    assert {r.status for r in db.session.scalars(select(OutboxMail))} == {"sent"}


def test_the_admin_page_shows_the_outbox(quiet, people, app, as_user, admin_user):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_ALLOW_PLAINTEXT=True)
    post_message(people.moderator, people.item, "Hello")
    db.session.commit()
    run_once()
    page = as_user(admin_user).get("/admin/outbox").get_data(as_text=True)
    assert '<dd id="outbox-pending">2</dd>' in page
    assert "ConnectionRefusedError" in page
    assert "Hello" not in page
    assert as_user(people.moderator).get("/admin/outbox").status_code == 404


def test_without_a_mail_server_the_emails_wait(people, runner):
    post_message(people.moderator, people.item, "Hello")
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert "CONSULT_SMTP_HOST is not set" in result.output
    assert {r.status for r in db.session.scalars(select(OutboxMail))} == {"pending"}


def test_the_email_speaks_the_person_s_language(quiet, people, smtp):
    people.cso.locale = "fr"
    db.session.commit()
    post_message(people.moderator, people.item, "Bonjour")
    db.session.commit()
    run_once()
    mail = _to(smtp, people.cso)[0]
    assert mail["Subject"] == "Du nouveau sur consult"
    body = mail.get_payload(decode=True).decode()
    assert "connectez-vous pour le lire" in body and "Bonjour" not in body


def test_purge_forgets_old_emails_and_old_read_news(quiet, people, smtp):
    from consult.maintenance.retention import purge_expired

    post_message(people.moderator, people.item, "Hello")
    db.session.commit()
    run_once()
    assert {r.status for r in db.session.scalars(select(OutboxMail))} == {"sent"}
    report = purge_expired(utcnow() + timedelta(days=10))
    assert report.old_news == 0  # recent: kept
    report = purge_expired(utcnow() + timedelta(days=31))
    db.session.commit()
    assert report.old_news == 2
    assert db.session.scalars(select(OutboxMail)).all() == []
    unread = db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert len(unread) >= 2  # news nobody read yet is kept
