"""Two app servers behind one load balancer: nothing a person does depends on which answers.

Two gunicorn instances (production settings, ``consult.wsgi:app``) on two
ports share one PostgreSQL database and one Redis, each with its own empty
upload folder. A sign-in, a rate limit, an idempotent submit, an attachment
and a job hold across both. Runs in ``make test-postgres`` (so in ``.ci/run``)
whenever PostgreSQL and Redis are there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.serve import gunicorn, production_env, request
from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Status
from tests import factories
from tests.conftest import new_token
from tests.factories import PASSWORD

REDIS = os.environ.get("TEST_REDIS_URL")
ON_POSTGRES = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres")
pytestmark = pytest.mark.skipif(
    not (REDIS and ON_POSTGRES),
    reason="two servers share PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL",
)
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Browser:
    """A person's browser: one cookie jar, whichever server the balancer picks."""

    cookies: dict[str, str] = field(default_factory=dict)

    def send(self, port: int, method: str, path: str, form: dict | None = None, **headers: str):
        headers = dict(headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(port, method, path, headers, body)
        for name, value in answer.cookies:
            self.cookies[name] = value
        return answer

    def csrf(self, port: int, path: str) -> str:
        page = self.send(port, "GET", path).body.decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert found, page[-500:]
        return found.group(1)


@pytest.fixture
def servers(app, tmp_path):
    """Two production app servers on the test database; yields their ports and settings."""
    env = production_env(
        app.config["SQLALCHEMY_DATABASE_URI"],
        SESSION_REDIS_URL=REDIS,
        RATELIMIT_STORAGE_URI=REDIS,
        CONSULT_JOBS_REDIS_URL=REDIS,
        CONSULT_JOBS_QUEUE=f"consult-two-{uuid.uuid4().hex[:8]}",
        CONSULT_STORAGE="postgresql",
        CONSULT_JOB_THRESHOLD_INPUTS="0",
        CONSULT_LOGIN_RATE_LIMIT="4 per minute",
        CONSULT_INSTANCE_DIR=str(tmp_path / "instance"),
        # The test's accounts were made here: their second-factor secrets use this key.
        TOTP_ENCRYPTION_KEYS=app.config["TOTP_ENCRYPTION_KEYS"],
    )
    db.session.commit()
    db.session.remove()
    with (
        gunicorn("consult.wsgi:app", {**env, "CONSULT_UPLOAD_DIR": str(tmp_path / "a")}, 1) as a,
        gunicorn("consult.wsgi:app", {**env, "CONSULT_UPLOAD_DIR": str(tmp_path / "b")}, 1) as b,
    ):
        yield a, b, env
    from redis import Redis
    from rq import Queue

    Queue(env["CONSULT_JOBS_QUEUE"], connection=Redis.from_url(REDIS)).delete(delete_jobs=True)


def _sign_in(browser: Browser, first: int, second: int, email: str, code=None) -> None:
    token = browser.csrf(first, "/auth/login")
    answer = browser.send(
        second, "POST", "/auth/login", {"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert answer.status == 302, answer.body[-500:]
    if code is not None:
        assert answer.headers["Location"].endswith("/auth/two-factor")
        token = browser.csrf(first, "/auth/two-factor")
        answer = browser.send(
            second, "POST", "/auth/two-factor", {"csrf_token": token, "code": code()}
        )
        assert answer.status == 302, answer.body[-500:]


def test_sign_in_limits_submit_attachment_and_job_hold_across_two_servers(
    servers, consultation, organisation, png_bytes
):
    a, b, env = servers
    email = f"member-{uuid.uuid4().hex[:8]}@tcf.example.org"
    cso = factories.make_user(email, "cso", organisation=organisation)

    # A sign-in: the form from one server, the password to the other, the pages from both.
    browser = Browser()
    _sign_in(browser, a, b, email)
    for port in (a, b):
        page = browser.send(port, "GET", "/my_inputs")
        assert page.status == 200 and email.encode() in page.body

    # A rate limit: four wrong passwords for one account, spread over both; the fifth is refused.
    stranger, target = Browser(), f"target-{uuid.uuid4().hex[:8]}@example.org"
    for attempt in range(4):
        port = (a, b)[attempt % 2]
        token = stranger.csrf(port, "/auth/login")
        answer = stranger.send(
            port, "POST", "/auth/login", {"csrf_token": token, "email": target, "password": "x"}
        )
        assert answer.status == 200
    token = stranger.csrf(a, "/auth/login")
    refused = stranger.send(
        b, "POST", "/auth/login", {"csrf_token": token, "email": target, "password": "x"}
    )
    assert refused.status == 429

    # An idempotent submit: the retry reaches the other server and makes no second input.
    api = {"Authorization": f"Bearer {new_token(cso)}", "Content-Type": "application/json"}
    body = json.dumps(
        {
            "consultation": consultation.slug,
            "priority": "ssr",
            "countries": ["TN"],
            "level": "national",
            "type": "context-analysis",
            "title": "Joint forums",
            "body": "Forums between police and residents reduce tension.",
            "recommendations": [{"addressee": "eu", "text": "Fund joint forums."}],
            "themes": [],
            "language": "en",
            "attribution": "non-attributable",
        }
    ).encode()
    key = {"Idempotency-Key": f"two-servers-{uuid.uuid4().hex}"}
    first = request(a, "POST", "/api/v1/inputs", {**api, **key}, body)
    again = request(b, "POST", "/api/v1/inputs", {**api, **key}, body)
    assert first.status == 201, first.body[-500:]
    assert again.status in (200, 201)
    assert json.loads(first.body)["id"] == json.loads(again.body)["id"]
    db.session.remove()
    made = select(func.count()).select_from(Input).where(Input.title == "Joint forums")
    assert db.session.scalar(made) == 1
    cso, consultation = db.session.merge(cso), db.session.merge(consultation)

    # An attachment: uploaded to one server, downloaded from the other.
    draft = factories.make_input(consultation, cso, status=Status.DRAFT)
    boundary = uuid.uuid4().hex
    upload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="map.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + png_bytes("green")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    sent = request(
        a,
        "POST",
        f"/api/v1/inputs/{draft.id}/attachments",
        {
            "Authorization": api["Authorization"],
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        upload,
    )
    assert sent.status == 201, sent.body[-500:]
    attachment_id = json.loads(sent.body)["id"]
    got = browser.send(b, "GET", f"/attachments/{attachment_id}")
    assert got.status == 200 and got.body.startswith(b"\x89PNG")
    db.session.remove()
    stored = db.session.get(Attachment, uuid.UUID(attachment_id))
    assert hashlib.sha256(got.body).hexdigest() == stored.sha256

    # A job: started on one server, run by the worker, followed and fetched on the other.
    from tests.digest.conftest import build_digest_data

    build_digest_data()
    # (staff sign in with a second factor: the code their app shows)
    hq = factories.make_user(f"hq-{uuid.uuid4().hex[:8]}@eeas.example.org", "hq")
    analyst = Browser()
    _sign_in(analyst, b, a, hq.email, code=lambda: factories.totp_code(hq))
    started = analyst.send(a, "GET", "/digest/download/csv?audience=internal")
    assert started.status == 302, started.body[-500:]
    job_path = started.headers["Location"].removeprefix("http://localhost")
    waiting = analyst.send(b, "GET", job_path)
    assert b"Waiting for a worker to start this job." in waiting.body
    worker = subprocess.run(
        [
            str(Path(sys.executable).with_name("flask")),
            "--app",
            "consult",
            "jobs",
            "worker",
            "--burst",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    done = analyst.send(b, "GET", job_path)
    assert b"Done. The file holds" in done.body
    file = analyst.send(a, "GET", job_path + "/file")
    assert file.status == 200 and file.headers["Content-Type"].startswith("text/csv")
    assert file.body.count(b"\n") > 1
