"""Notification email on the job queue: rounds of :func:`~.outbox.run_once` on the worker.

A request that told someone something (a notification row, committed)
queues a mail round when it ends, so people who chose "at once" hear within
seconds, without cron. A round that leaves something waiting (an hourly or
daily batch not yet due, a retry after a failure) queues the next round for
:data:`NEXT_ROUND` later, on the worker's scheduler; with nothing waiting,
nothing is queued. Requests never talk to the mail server themselves.

Without a job queue (``make run``, tests) nothing is queued: ``flask
send-mail`` (cron, or ``--loop``) sends, as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from consult.extensions import db
from consult.jobs.kinds import Outcome, job_kind
from consult.jobs.models import Job
from consult.jobs.queue import asynchronous, start_job
from consult.notifications.models import Notification, OutboxMail, OutboxStatus
from consult.notifications.outbox import run_once
from consult.timeutil import utcnow

KIND = "mail.send"
#: How long after a round that left something waiting the next one runs.
NEXT_ROUND = timedelta(minutes=5)
#: Set on a session that added notifications; moved to the request once committed.
_TOLD = "consult_told_someone"


def told_someone(session: Session) -> None:
    """Note that ``session`` adds notifications: once committed, a mail round is due."""
    session.info[_TOLD] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_TOLD, False) and has_request_context():
        g.mail_round_due = True


def queue_mail_round(*, later: bool = False) -> Job | None:
    """Put a mail round on the job queue (now, or :data:`NEXT_ROUND` later); None without one.

    One round waits at a time: asking again while one waits joins it.
    """
    if not asynchronous():
        return None
    at = utcnow() + NEXT_ROUND if later else None
    return start_job(KIND, None, {"later": later}, at=at, join_running=False, audit=False)


def _after_request(response: Response) -> Response:
    """After a request that told someone, queue a round (the request's work is committed)."""
    if g.pop("mail_round_due", False):
        try:
            queue_mail_round()
        except Exception:  # the next round, or cron, sends it: never fail the answer for it
            db.session.rollback()
            current_app.logger.warning("mail round not queued; the outbox keeps the news")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_after_request)


def _still_waiting() -> bool:
    """Whether news is still to be mailed, or an email still to be (re)sent."""
    unmailed = select(Notification.id).where(Notification.emailed.is_(False))
    pending = select(OutboxMail.id).where(OutboxMail.status == OutboxStatus.PENDING.value)
    return bool(db.session.scalar(select(exists(unmailed) | exists(pending))))


def _title(job: Job) -> str:
    return _("Send the notification emails")


def _summary(job: Job) -> str:
    result: dict[str, Any] = job.result
    return _(
        "Composed %(composed)d, sent %(sent)d, to retry %(retried)d, given up %(failed)d.",
        composed=result.get("composed", 0),
        sent=result.get("sent", 0),
        retried=result.get("retried", 0),
        failed=result.get("failed", 0),
    )


@job_kind(KIND, permission="administer", title=_title, summary=_summary)
def send_round(job: Job) -> Outcome:
    """Compose and send what is due; queue the next round if anything still waits."""
    composed, delivery = run_once()
    if _still_waiting() and not delivery.not_configured:
        queue_mail_round(later=True)
    return Outcome(
        result={
            "composed": composed,
            "sent": delivery.sent,
            "retried": delivery.retried,
            "failed": delivery.failed,
            "not_configured": delivery.not_configured,
        }
    )
