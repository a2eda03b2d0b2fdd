"""Account mail over SMTP, against a real SMTP server (aiosmtpd) started by the test:
STARTTLS with a verified certificate, and plaintext only when a setting allows it."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import trustme
from aiosmtpd.controller import Controller

from consult.auth.mail import MAIL_THREAD, OUTBOX, send_mail


@dataclass
class Inbox:
    messages: list[tuple[bytes, bool]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.content, session.ssl is not None))
        self.arrived.set()
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _server(inbox: Inbox, tls_context=None) -> Controller:
    kwargs = {"tls_context": tls_context, "require_starttls": True} if tls_context else {}
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def tls_server(ca) -> Iterator[tuple[Controller, Inbox]]:
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    inbox = Inbox()
    controller = _server(inbox, context)
    yield controller, inbox
    controller.stop()


@pytest.fixture
def plain_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = _server(inbox)
    yield controller, inbox
    controller.stop()


def _send(make_app, controller: Controller, **settings) -> None:
    OUTBOX.clear()
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, **settings)
    with app.app_context():
        send_mail("x@example.org", "Your link", "Body text", link="https://l.example.org/t")
    for thread in threading.enumerate():
        if thread.name == MAIL_THREAD:
            thread.join(timeout=20)


def test_starttls_with_a_verified_certificate_delivers(make_app, tls_server, ca_file):
    controller, inbox = tls_server
    _send(make_app, controller, SMTP_CA_FILE=ca_file)
    assert inbox.arrived.wait(10)
    content, over_tls = inbox.messages[0]
    assert over_tls
    assert b"Body text" in content and b"To: x@example.org" in content
    assert len(OUTBOX) == 0


def test_certificate_from_an_unknown_authority_is_refused(make_app, tls_server, caplog):
    controller, inbox = tls_server
    with caplog.at_level(logging.ERROR, logger="consult"):
        _send(make_app, controller)  # the test CA is not trusted
    assert inbox.messages == []
    assert "mail delivery failed: SSLCertVerificationError" in caplog.text
    assert "x@example.org" not in caplog.text and "l.example.org" not in caplog.text


def test_server_without_starttls_gets_nothing_by_default(make_app, plain_server, caplog):
    controller, inbox = plain_server
    with caplog.at_level(logging.ERROR, logger="consult"):
        _send(make_app, controller)
    assert inbox.messages == []
    assert "offers no STARTTLS" in caplog.text


def test_plaintext_to_a_local_relay_when_explicitly_allowed(make_app, plain_server):
    controller, inbox = plain_server
    _send(make_app, controller, SMTP_ALLOW_PLAINTEXT=True)
    assert inbox.arrived.wait(10)
    content, over_tls = inbox.messages[0]
    assert not over_tls and b"Body text" in content
