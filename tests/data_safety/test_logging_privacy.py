"""The application log and the audit log carry no input content and no client address.

A CSO member signs in from a recognisable address, submits an input full of
a canary text (title, body, recommendation, file name), sends a form with an
error, staff open and download it; then every log record, at every level,
and every audit row is searched for the canary and the addresses.
"""

from __future__ import annotations

import io
import json
import logging

from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Status
from tests import factories

CANARY = "canary-7f3a9e-Zephyr"
CLIENT_IP = "203.0.113.77"
FORWARDED_IP = "198.51.100.23"
ENVIRON = {"REMOTE_ADDR": CLIENT_IP}
HEADERS = {"X-Forwarded-For": FORWARDED_IP, "X-Real-IP": FORWARDED_IP}


def _everything_logged(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def _everything_audited() -> str:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent)).all()
    return "\n".join(
        json.dumps(
            {c.name: getattr(row, c.name) for c in AuditEvent.__table__.columns}, default=str
        )
        for row in rows
    )


def _assert_clean(text: str, where: str) -> None:
    for secret in (CANARY, CLIENT_IP, FORWARDED_IP):
        assert secret not in text, f"{secret!r} found in the {where}"


def test_no_content_and_no_address_in_logs_or_audit(
    app,
    caplog,
    consultation,
    cso_user,
    moderator_user,
    hq_user,
    input_form,
    new_input_url,
    png_bytes,
):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger=app.logger.name)
    client = app.test_client()
    client.environ_base.update(ENVIRON)

    # A failed sign-in (the canary as the password), then a good one, through the form.
    failed = client.post(
        "/auth/login",
        data={"email": cso_user.email, "password": CANARY + "-wrong-password"},
        headers=HEADERS,
    )
    assert failed.status_code == 200
    signed_in = client.post(
        "/auth/login",
        data={"email": cso_user.email, "password": factories.PASSWORD},
        headers=HEADERS,
    )
    assert signed_in.status_code == 302

    # A form with an error (no priority), then the real submission with a file.
    url = new_input_url(consultation)
    refused = client.post(
        url, data=input_form(title=CANARY, body=CANARY, priority=""), headers=HEADERS
    )
    assert refused.status_code == 400
    sent = client.post(
        url,
        data={
            **input_form(
                title=f"{CANARY} title",
                body=f"Body with {CANARY} inside",
                recommendation=f"Recommend {CANARY}",
            ),
            "attachments": (io.BytesIO(png_bytes()), f"{CANARY}.png"),
        },
        headers=HEADERS,
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:500]
    item = db.session.scalar(select(Input).where(Input.status == Status.SUBMITTED))
    attachment = db.session.scalar(select(Attachment))
    assert CANARY in item.body and CANARY in attachment.filename
    # No address is kept with the input (KEEP_CSO_IP is off by default).
    assert item.submitter_ip is None

    # The CSO reads it back; the moderator opens it and its file; HQ downloads a digest.
    assert client.get(f"/inputs/{item.id}", headers=HEADERS).status_code == 200
    staff = factories.login(app.test_client(), moderator_user)
    staff.environ_base.update(ENVIRON)
    assert staff.get(f"/review/inputs/{item.id}", headers=HEADERS).status_code == 200
    assert staff.get(f"/review/attachments/{attachment.id}", headers=HEADERS).status_code == 200
    analyst = factories.login(app.test_client(), hq_user)
    analyst.environ_base.update(ENVIRON)
    internal = "/digest/download/csv?audience=internal"
    assert analyst.get(internal, headers=HEADERS).status_code == 200

    _assert_clean(_everything_logged(caplog), "application log")
    _assert_clean(_everything_audited(), "audit log")

    # What happened is audited all the same: sign-ins (failed and good) and downloads.
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"auth.login_failed", "auth.login"} <= actions
    assert any("attachment" in a and "download" in a for a in actions), actions
    assert "digest.downloaded" in actions


def test_rate_limited_sign_in_does_not_log_the_address(app, make_app, caplog, cso_user):
    """Flask-Limiter logs the key of an exceeded limit (an address, an email): both scrubbed."""
    caplog.set_level(logging.DEBUG)
    limited = make_app(
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="2 per minute",
        LOGIN_ADDRESS_RATE_LIMIT="2 per minute",
    )
    by_address = limited.test_client()
    by_address.environ_base.update(ENVIRON)
    statuses = [
        by_address.post(
            "/auth/login",
            data={"email": f"nobody{n}@example.org", "password": CANARY},
            headers=HEADERS,
        ).status_code
        for n in range(4)
    ]
    by_account = limited.test_client()
    for n in range(4):
        by_account.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 10}"
        statuses.append(
            by_account.post(
                "/auth/login", data={"email": cso_user.email, "password": CANARY}
            ).status_code
        )
    assert statuses[3] == 429 and statuses[-1] == 429
    logged = _everything_logged(caplog)
    assert logged.count("exceeded") >= 2  # the events themselves are still logged
    _assert_clean(logged, "application log")
    assert cso_user.email not in logged and "192.0.2." not in logged


def test_server_errors_log_no_content(
    app, client, login, consultation, cso_user, caplog, monkeypatch, input_form, new_input_url
):
    """An unexpected error logs where it happened, not what the person typed."""
    caplog.set_level(logging.DEBUG)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client.environ_base.update(ENVIRON)
    login(client, cso_user)
    from consult.submissions import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("storage exploded")

    monkeypatch.setattr(services, "submit_input", broken)
    response = client.post(
        new_input_url(consultation), data=input_form(title=CANARY, body=CANARY), headers=HEADERS
    )
    assert response.status_code == 500
    logged = _everything_logged(caplog)
    assert "storage exploded" in logged
    _assert_clean(logged, "application log")
