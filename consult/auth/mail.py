"""Account mail: invitations and password-reset links.

With ``CONSULT_SMTP_HOST`` set, messages go out over SMTP (in a background
thread, so the time a request takes does not reveal whether a mail was sent).
The connection is upgraded with STARTTLS and the server's certificate is
verified (:func:`ssl.create_default_context`, or ``CONSULT_SMTP_CA_FILE`` for a
private CA); a server that offers no STARTTLS gets nothing, unless
``CONSULT_SMTP_ALLOW_PLAINTEXT`` says it is a local relay.
Without it — development and tests — the link is written to the application
log at INFO, with nothing else (no address, no text), and the message is kept
in :data:`OUTBOX`, an in-memory list of the last messages that tests read.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

from consult.logsetup import KEEPS_LINK

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
        if link and config.get("ENV_NAME") != "production":
            # Development's way to follow an invitation or reset without mail.
            current_app.logger.info("account link: %s", link, extra={KEEPS_LINK: True})
        elif link:
            current_app.logger.warning("account link not mailed: CONSULT_SMTP_HOST is not set")
        return
    email = EmailMessage()
    email["From"] = config.get("MAIL_FROM", "consult@localhost")
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    server = configured_server()
    logger = current_app.logger
    thread = threading.Thread(
        target=deliver, args=(server, email, logger), name=MAIL_THREAD, daemon=True
    )
    thread.start()


#: The name of the threads that deliver mail (tests wait for them).
MAIL_THREAD = "consult-mail"


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    allow_plaintext: bool = False
    ca_file: str | None = None


class PlaintextRefused(smtplib.SMTPException):
    """The server offers no STARTTLS and plaintext delivery is not allowed."""


def configured_server() -> SmtpServer | None:
    """The SMTP server of the settings, or None without ``CONSULT_SMTP_HOST``."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return None
    return SmtpServer(
        host=config["SMTP_HOST"],
        port=int(config.get("SMTP_PORT", 25)),
        allow_plaintext=bool(config.get("SMTP_ALLOW_PLAINTEXT")),
        ca_file=config.get("SMTP_CA_FILE") or None,
    )


def deliver(server: SmtpServer, email: EmailMessage, logger) -> bool:  # noqa: ANN001
    """Send ``email`` over TLS (STARTTLS, certificate verified); returns whether it went out."""
    return delivery_failure(server, email, logger) is None


def delivery_failure(server: SmtpServer, email: EmailMessage, logger) -> str | None:  # noqa: ANN001
    """Send ``email`` like :func:`deliver`: None once the server took it, else why not."""
    try:
        with smtplib.SMTP(server.host, server.port, timeout=30) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context(cafile=server.ca_file))
                smtp.ehlo()
            elif not server.allow_plaintext:
                raise PlaintextRefused()
            smtp.send_message(email)
    except PlaintextRefused:
        logger.error(
            "mail delivery refused: the SMTP server offers no STARTTLS "
            "(CONSULT_SMTP_ALLOW_PLAINTEXT=1 allows plaintext to a local relay)"
        )
        return "PlaintextRefused"
    except (OSError, smtplib.SMTPException) as exc:
        # Name the failure, never the recipient or the link.
        logger.error("mail delivery failed: %s", exc.__class__.__name__)
        return exc.__class__.__name__
    return None


def last_message(to: str | None = None) -> Message | None:
    """The newest message in the outbox (to ``to``, when given)."""
    for message in reversed(OUTBOX):
        if to is None or message.to == to:
            return message
    return None
