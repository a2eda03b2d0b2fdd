"""The application log reaches stderr in the documented format (text or JSON lines),
with tracebacks, and without tokens, addresses or emails."""

from __future__ import annotations

import json
import re
import socket
import threading

import pytest

from consult.auth.mail import MAIL_THREAD, send_mail

TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ ")


def _fail_in_a_view(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    from consult.main import views

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(views, "render_template", broken)
    assert client.get("/").status_code == 500


def test_a_server_error_reaches_stderr_with_its_traceback(app, client, capsys, monkeypatch):
    _fail_in_a_view(app, client, monkeypatch)
    err = capsys.readouterr().err
    first = next(line for line in err.splitlines() if "unhandled error" in line)
    assert TEXT_LINE.match(first), first
    assert " ERROR consult unhandled error on GET main." in first
    assert "Traceback (most recent call last)" in err and "RuntimeError: disk on fire" in err


def test_json_lines_when_configured(make_app, capsys, monkeypatch):
    app = make_app(LOG_FORMAT="json")
    with app.app_context():
        _fail_in_a_view(app, app.test_client(), monkeypatch)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    entry = next(e for e in lines if "unhandled error" in e["message"])
    assert entry["level"] == "ERROR" and entry["logger"] == "consult"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["time"])
    assert "RuntimeError: disk on fire" in entry["traceback"]
    make_app()  # back to text for the other tests


def test_an_unknown_format_is_refused(make_app):
    with pytest.raises(SystemExit, match="CONSULT_LOG_FORMAT"):
        make_app(LOG_FORMAT="xml")


def test_failed_mail_delivery_is_visible(make_app, capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    with app.app_context():
        send_mail("x@example.org", "Subject", "Body", link="https://l.example.org/t?token=abc")
    for thread in threading.enumerate():
        if thread.name == MAIL_THREAD:
            thread.join(timeout=20)
    err = capsys.readouterr().err
    assert "mail delivery failed: ConnectionRefusedError" in err
    assert "x@example.org" not in err and "abc" not in err


def test_development_account_link_is_visible(make_app, capsys):
    app = make_app()
    with app.app_context():
        send_mail(
            "x@example.org", "Subject", "Body", link="http://localhost/auth/invite?token=abc123"
        )
    err = capsys.readouterr().err
    assert "account link: http://localhost/auth/invite?token=abc123" in err
    assert "x@example.org" not in err


def test_tokens_never_reach_the_log(app, capsys):
    app.logger.warning("odd request with cst_AbCdEf123_secret and /auth/reset?token=s3cr3t")
    app.logger.error("from 192.0.2.44 by someone@example.org")
    err = capsys.readouterr().err
    assert "cst_AbCdEf123_secret" not in err and "s3cr3t" not in err
    assert "192.0.2.44" not in err and "someone@example.org" not in err
    assert "[token]" in err and "[address]" in err and "[email]" in err
