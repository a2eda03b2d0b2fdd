"""Notification email on the job queue: a request that tells someone queues a mail round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.extensions import db
from consult.jobs.models import Job, JobState
from consult.jobs.queue import purge_expired_jobs
from consult.notifications.models import Notification, NotificationPreference
from consult.timeutil import utcnow
from tests import factories
from tests.conversations.smtp import Inbox, free_port, start
from tests.jobs.conftest import REDIS, run_worker


@pytest.fixture
def returned_question(app, consultation, cso_user, moderator_user, api_client):
    """``ask(app)``: the moderator asks the CSO a question on an input, through the API."""
    item = factories.make_input(consultation, cso_user, title="Policing in Gafsa")
    # The moderator was told of the new input already: only the question is news here.
    db.session.execute(update(Notification).values(emailed=True))
    db.session.commit()

    item_id, moderator_id = item.id, moderator_user.id  # the worker run detaches both

    def ask(on_app):
        api = api_client(on_app, db.session.get(User, moderator_id))
        answer = api.post(
            f"/inputs/{item_id}/messages", json={"body": "Which district?", "question": True}
        )
        assert answer.status_code == 201, answer.get_json()
        return answer

    return ask


def _mail_jobs() -> list[Job]:
    return list(db.session.scalars(select(Job).where(Job.kind == "mail.send")))


def _work_with_mail_server(app) -> Inbox:
    inbox = Inbox()
    port = free_port()
    controller = start(inbox, port)
    try:
        run_worker(
            app,
            CONSULT_SMTP_HOST="127.0.0.1",
            CONSULT_SMTP_PORT=str(port),
            CONSULT_SMTP_ALLOW_PLAINTEXT="1",
        )
    finally:
        controller.stop()
    return inbox


def test_without_a_queue_a_request_sends_no_mail_and_queues_nothing(app, returned_question):
    returned_question(app)
    assert _mail_jobs() == []  # `flask send-mail` (cron or --loop) sends, as before


def test_send_mail_on_the_queue_needs_a_queue(app, runner):
    result = runner.invoke(args=["send-mail", "--queue"])
    assert result.exit_code == 2
    assert "CONSULT_JOBS_REDIS_URL is not set" in result.output


@pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL (make test sets it)")
def test_a_question_is_mailed_by_the_worker_within_one_round(queued, returned_question, cso_user):
    email = cso_user.email
    returned_question(queued)
    waiting = _mail_jobs()
    assert [(j.state, j.owner_id, j.params) for j in waiting] == [
        (JobState.QUEUED, None, {"later": False})
    ]
    returned_question(queued)  # a second piece of news joins the waiting round
    assert len(_mail_jobs()) == 1

    inbox = _work_with_mail_server(queued)

    [done] = _mail_jobs()
    assert done.state == JobState.DONE, done.error
    assert done.result["sent"] == 1 and done.result["composed"] == 1
    [mail] = inbox.messages
    assert mail["To"] == email
    assert "Which district?" not in mail.as_string()  # the email never carries content
    # Routine rounds stay out of the audit log: it is for people's actions.
    started = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "job.started"))
    assert list(started) == []


@pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL (make test sets it)")
def test_news_not_yet_due_gets_a_later_round_on_the_scheduler(queued, returned_question, cso_user):
    db.session.add(NotificationPreference(user_id=cso_user.id, frequency="daily"))
    db.session.commit()
    returned_question(queued)
    first = _work_with_mail_server(queued)
    assert len(first.messages) == 1  # the first daily email goes at once
    assert [j.params["later"] for j in _mail_jobs()] == [False]  # nothing left waiting

    returned_question(queued)  # more news within the day: it waits for tomorrow's email
    second = _work_with_mail_server(queued)
    assert second.messages == []
    later = [j for j in _mail_jobs() if j.params["later"]]
    assert [j.state for j in later] == [JobState.QUEUED]
    from consult.jobs.queue import rq_queue

    assert rq_queue().scheduled_job_registry.get_job_ids() == [str(later[0].id)]


@pytest.mark.skipif(not REDIS, reason="needs TEST_REDIS_URL (make test sets it)")
def test_without_a_mail_server_a_round_queues_no_other(queued, returned_question):
    returned_question(queued)
    run_worker(queued)  # CONSULT_SMTP_HOST unset: the emails wait in the outbox
    [done] = _mail_jobs()
    assert done.state == JobState.DONE and done.result["not_configured"] is True


def test_finished_system_rounds_are_forgotten_after_a_day(app):
    old = Job(
        kind="mail.send",
        owner_id=None,
        params={"later": False},
        state=JobState.DONE,
        created_at=utcnow() - timedelta(hours=app.config["JOB_FILE_HOURS"] + 1),
    )
    fresh = Job(kind="mail.send", owner_id=None, params={"later": False}, state=JobState.DONE)
    db.session.add_all([old, fresh])
    db.session.commit()
    purge_expired_jobs()
    db.session.commit()
    assert _mail_jobs() == [fresh]
