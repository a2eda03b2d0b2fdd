"""Account mail: invitations and password-reset links.

With ``CONSULT_SMTP_HOST`` set, messages go out over SMTP (in a background
thread, so the time a request takes does not reveal whether a mail was sent).
Without it — development and tests — the link is written to the application
log at INFO, with nothing else (no address, no text), and the message is kept
in :data:`OUTBOX`, an in-memory list of the last messages that tests read.
"""

from __future__ import annotations

import smtplib
import threading
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

#: How many messages the in-memory outbox keeps.
OUTBOX_SIZE = 50


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    link: str | None = None


#: The last messages "sent" without SMTP, newest last.
OUTBOX: deque[Message] = deque(maxlen=OUTBOX_SIZE)


def send_mail(to: str, subject: str, body: str, *, link: str | None = None) -> None:
    """Send one plain-text message, or keep it in the outbox when no SMTP host is set."""
    message = Message(to=to, subject=subject, body=body, link=link)
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        OUTBOX.append(message)
        if link:
            current_app.logger.info("account link: %s", link)
        return
    email = EmailMessage()
    email["From"] = config.get("MAIL_FROM", "consult@localhost")
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    port = int(config.get("SMTP_PORT", 25))
    logger = current_app.logger
    thread = threading.Thread(
        target=_deliver, args=(host, port, email, logger), name="consult-mail", daemon=True
    )
    thread.start()


def _deliver(host: str, port: int, email: EmailMessage, logger) -> None:  # noqa: ANN001
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            try:
                smtp.starttls()
            except smtplib.SMTPNotSupportedError:
                pass  # a local relay without TLS
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        # Name the failure, never the recipient or the link.
        logger.error("mail delivery failed: %s", exc.__class__.__name__)


def last_message(to: str | None = None) -> Message | None:
    """The newest message in the outbox (to ``to``, when given)."""
    for message in reversed(OUTBOX):
        if to is None or message.to == to:
            return message
    return None
