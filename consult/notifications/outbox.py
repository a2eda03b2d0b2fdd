"""Email about notifications: composed per each person's choice, sent from the outbox.

Nothing here runs inside a web request. ``flask --app consult send-mail``
(once, from cron, or ``--loop``) calls :func:`run_once`:

1. :func:`compose_due` turns unmailed notifications into at most one
   outbox row per person, when their choice says it is time (at once, at most
   hourly, daily; none marks them accounted for without a mail). The row
   says only that there is news and where to sign in: no title, no
   organisation, no country, no text.
2. :func:`deliver_due` sends the rows that are due. Each row is claimed
   (``pending`` to ``sending``, committed) before the SMTP conversation and
   marked ``sent`` after it, so two workers never send one row, and a row is
   never sent again once the server accepted it. A failure puts the row back
   to ``pending`` with a growing wait (1, 2, 4 ... minutes, at most 6 hours);
   after :data:`MAX_ATTEMPTS` it is ``failed`` and the admin page shows it.
   A worker killed mid-conversation leaves a ``sending`` row; after
   :data:`STALE_SENDING` it is tried again with the same Message-ID, so a
   server that did get it can drop the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import delete, func, select, update

from consult.auth.mail import configured_server, delivery_failure
from consult.auth.models import User
from consult.extensions import db
from consult.i18n import N_
from consult.inputs.scope import speaks_for_an_organisation
from consult.notifications.models import (
    Frequency,
    Notification,
    NotificationPreference,
    OutboxMail,
    OutboxStatus,
)
from consult.timeutil import utcnow

MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=6)
STALE_SENDING = timedelta(minutes=15)
#: Sent (or given up) emails keep an address: they go after this many days.
KEEP_SENT_DAYS = 30
#: Read notifications go after this many days (unread ones stay until read).
KEEP_READ_DAYS = 365
WAIT = {
    Frequency.IMMEDIATE: timedelta(0),
    Frequency.HOURLY: timedelta(hours=1),
    Frequency.DAILY: timedelta(days=1),
}

#: The whole email: it never says more than this (mail crosses monitored networks).
SUBJECT = N_("News on consult")
BODY = N_(
    "There is news on consult; sign in to read it:\n"
    "%(link)s\n"
    "\n"
    "This email says nothing more on purpose. You can choose how often you get it "
    "on the same page."
)


def default_frequency(user: Any) -> Frequency:
    """CSO members hear at once; EU staff, who follow whole queues, at most hourly."""
    return Frequency.IMMEDIATE if speaks_for_an_organisation(user) else Frequency.HOURLY


def frequency_of(user: Any) -> Frequency:
    chosen = db.session.get(NotificationPreference, user.id)
    return Frequency(chosen.frequency) if chosen else default_frequency(user)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 ... minutes, at most 6 h."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def news_link() -> str:
    return current_app.config.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/") + (
        "/notifications"
    )


def _words(user: Any) -> tuple[str, str]:
    """The subject and body in the person's language (the same few words in every one)."""
    languages = current_app.config.get("LANGUAGES", ["en"])
    with force_locale(user.locale if user.locale in languages else "en"):
        return gettext(SUBJECT), gettext(BODY, link=news_link()) + "\n"


def compose_due(now: datetime | None = None) -> int:
    """Queue one content-free email per person whose news is due; returns how many (no commit).

    The person's unmailed notifications are claimed (``emailed`` set) before the email
    is queued: a second worker running at the same time finds none left and queues
    nothing (on PostgreSQL it waits for the first one's transaction, then sees them taken).
    """
    now = now or utcnow()
    waiting = db.session.scalars(
        select(Notification.user_id).where(Notification.emailed.is_(False)).distinct()
    ).all()
    composed = 0
    for user_id in waiting:
        user = db.session.get(User, user_id)
        frequency = frequency_of(user) if user is not None and user.active else Frequency.NONE
        if frequency != Frequency.NONE:
            last = db.session.scalar(
                select(func.max(OutboxMail.created_at)).where(OutboxMail.user_id == user_id)
            )
            if last is not None and now - last < WAIT[frequency]:
                continue  # batched: the next run after the wait sends one mail for all
        claimed = db.session.execute(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.emailed.is_(False),
                Notification.created_at <= now,
            )
            .values(emailed=True)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed or frequency == Frequency.NONE:
            continue
        subject, body = _words(user)
        db.session.add(
            OutboxMail(
                user_id=user_id,
                to_address=user.email,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )
        composed += 1
    db.session.flush()
    return composed


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    not_configured: bool = False


def _email(row: OutboxMail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config.get("MAIL_FROM", "consult@localhost")
    email["To"] = row.to_address
    email["Subject"] = row.subject
    email["Date"] = formatdate(localtime=False)
    # The same id on every attempt: a server that already has it can drop a repeat.
    domain = email["From"].rsplit("@", 1)[-1].strip("> ") or "consult"
    email["Message-ID"] = f"<outbox-{row.id}@{domain}>"
    email.set_content(row.body)
    return email


def _claim(row_id: int, now: datetime) -> bool:
    """Take a due row for this worker (committed), or False when another one has it."""
    claimed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == row_id, OutboxMail.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.SENDING.value, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def deliver_due(now: datetime | None = None) -> Delivery:
    """Send every due outbox row once; commits after each row."""
    now = now or utcnow()
    report = Delivery()
    server = configured_server()
    if server is None:
        report.not_configured = True
        return report
    db.session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.status == OutboxStatus.SENDING.value,
            OutboxMail.next_attempt_at < now - STALE_SENDING,
        )
        .values(status=OutboxStatus.PENDING.value)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    due = db.session.scalars(
        select(OutboxMail.id)
        .where(
            OutboxMail.status == OutboxStatus.PENDING.value,
            OutboxMail.next_attempt_at <= now,
        )
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
    ).all()
    logger = current_app.logger
    for row_id in due:
        if not _claim(row_id, now):
            continue
        row = db.session.get(OutboxMail, row_id)
        db.session.refresh(row)
        failure = delivery_failure(server, _email(row), logger)
        row.attempts += 1
        if failure is None:
            row.status = OutboxStatus.SENT.value
            row.sent_at = utcnow()
            row.last_error = None
            report.sent += 1
        elif row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED.value
            row.last_error = failure
            report.failed += 1
        else:
            row.status = OutboxStatus.PENDING.value
            row.next_attempt_at = now + backoff(row.attempts)
            row.last_error = failure
            report.retried += 1
        db.session.commit()
    return report


def run_once(now: datetime | None = None) -> tuple[int, Delivery]:
    """Compose what is due, commit, then send what is due."""
    composed = compose_due(now)
    db.session.commit()
    return composed, deliver_due(now)


def outbox_counts() -> dict[str, int]:
    """How many rows are in each state (the admin page)."""
    rows = db.session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
    ).all()
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status: int(n) for status, n in rows})
    return counts


def retry_failed() -> int:
    """Put every failed row back in the queue (an admin's action after fixing the mail server)."""
    changed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.status == OutboxStatus.FAILED.value)
        .values(status=OutboxStatus.PENDING.value, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.flush()
    return int(changed or 0)


def purge_old_news(now: datetime | None = None) -> int:
    """Delete emails sent or given up long ago and notifications read long ago (no commit)."""
    now = now or utcnow()
    emails = db.session.execute(
        delete(OutboxMail)
        .where(
            OutboxMail.status.in_([OutboxStatus.SENT.value, OutboxStatus.FAILED.value]),
            OutboxMail.created_at < now - timedelta(days=KEEP_SENT_DAYS),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    notes = db.session.execute(
        delete(Notification)
        .where(
            Notification.read_at.is_not(None),
            Notification.read_at < now - timedelta(days=KEEP_READ_DAYS),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return int(emails or 0) + int(notes or 0)
