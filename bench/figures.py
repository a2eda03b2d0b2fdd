"""One function per figure: each call is one sample, so the runner can interleave them."""

from __future__ import annotations

import csv
import io
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from bench import serve
from bench.databases import ROOT, SLUG, app_for
from consult.auth.models import User
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status

#: Requests timed per sample of an in-process page (the sample's p95 is kept).
PAGE_REPS = 10


@dataclass
class Site:
    """One benchmark database: its app and a token per role."""

    size: int
    url: str
    app: Flask
    tokens: dict[str, str] = field(default_factory=dict)
    deep_cursor: dict[str, str | None] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def open_site(size: int, url: str) -> Site:
    from consult.api.tokens import create_token, latest_staff_expiry

    app = app_for(url)
    site = Site(size, url, app)
    with app.app_context():
        busiest = db.session.scalar(
            select(Input.delegation_slug)
            .where(Input.status == Status.SUBMITTED, Input.delegation_slug.is_not(None))
            .group_by(Input.delegation_slug)
            .order_by(func.count().desc())
        )
        users = {
            "cso": db.session.scalar(select(User).where(User.email == "cso00000@load.example.org")),
            "moderator": db.session.scalar(
                select(User).where(User.email == f"moderator.{busiest}@load.example.org")
            ),
            "hq": db.session.scalar(select(User).where(User.email == "hq@load.example.org")),
        }
        for role, user in users.items():
            expiry = latest_staff_expiry() if user.is_eu_staff else None
            _token, raw = create_token(user, "bench", expires_at=expiry)
            site.tokens[role] = raw
            if user.is_eu_staff and not user.has_totp:
                # Staff pages need a second factor; generated accounts have none yet.
                user.totp_secret = pyotp.random_base32()
            site.users[role] = user.get_id()
        db.session.commit()
    return site


def signed_in_client(site: Site, role: str) -> FlaskClient:
    """A test client whose session is what signing in with both factors leaves behind."""
    from consult.auth.session import fresh_session_values

    client = site.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = site.users[role]
        session["_fresh"] = True
        session.update(fresh_session_values())
    return client


class StatementCounter:
    """Counts the SQL statements an engine runs while active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        self.count += 1


def _timed_get(site: Site, path: str, role: str, reps: int) -> tuple[float, int, Any]:
    """p95 seconds of ``reps`` GETs in process, statements of the last one, its body.

    An API path is called with the role's token, a page with its signed-in session.
    """
    api = path.startswith("/api/")
    client = site.app.test_client() if api else signed_in_client(site, role)
    headers = site.headers(role) if api else {}
    seconds: list[float] = []
    counter = StatementCounter()
    payload = None
    with site.app.app_context():
        engine = db.engine
    for _ in range(reps):
        counter.count = 0
        event.listen(engine, "before_cursor_execute", counter)
        started = time.perf_counter()
        answer = client.get(path, headers=headers)
        seconds.append(time.perf_counter() - started)
        event.remove(engine, "before_cursor_execute", counter)
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.data[:300]!r}")
        payload = answer.get_json() if api else answer.data
    return serve.p95(seconds), counter.count, payload


#: Each queue: its path, who reads it, and the API queue whose cursor its deep page
#: reuses (the HTML pages take the same ``after`` cursor as the API).
QUEUES = {
    "moderator": ("/api/v1/review/queue?limit=50", "moderator", "moderator"),
    "hq-forwarded": ("/api/v1/review/queue?kind=forwarded&limit=50", "hq", "hq-forwarded"),
    "moderator-html": ("/review/queue?status=open", "moderator", "moderator"),
    "hq-forwarded-html": ("/review/forwarded?status=all", "hq", "hq-forwarded"),
}


def prepare_deep_pages(site: Site, depth: int) -> None:
    """Walk ``depth`` pages of each API queue once to find a deep cursor."""
    client = site.app.test_client()
    for name, (path, role, cursor_of) in QUEUES.items():
        if cursor_of != name:
            continue
        cursor = None
        for _ in range(depth):
            url = path + (f"&after={cursor}" if cursor else "")
            payload = client.get(url, headers=site.headers(role)).get_json()
            if not payload.get("next"):
                break
            cursor = payload["next"]
        site.deep_cursor[name] = cursor


def queue_page(site: Site, name: str, deep: bool) -> dict[str, float]:
    path, role, cursor_of = QUEUES[name]
    if deep and site.deep_cursor.get(cursor_of):
        path += f"&after={site.deep_cursor[cursor_of]}"
    p95, statements, _payload = _timed_get(site, path, role, PAGE_REPS)
    return {"p95": p95, "statements": statements}


def aggregates(site: Site) -> dict[str, float]:
    from consult.digest.filters import parse_filters
    from consult.digest.query import aggregate

    seconds: dict[bool, list[float]] = {True: [], False: []}
    with site.app.app_context():
        filters = parse_filters({"audience": "internal"})
        # The GROUP BYs over the inputs (the path before digest_counts, and the
        # fallback for the filters it cannot answer): fewer calls, they are slow.
        for use_counters, reps in ((True, PAGE_REPS), (False, 3)):
            for _ in range(reps):
                started = time.perf_counter()
                aggregate(filters, use_counters=use_counters)
                seconds[use_counters].append(time.perf_counter() - started)
        db.session.rollback()
    return {"p95": serve.p95(seconds[True]), "rows_p95": serve.p95(seconds[False])}


def internal_csv(site: Site, *, fmt: str = "csv") -> dict[str, float]:
    """The internal digest of every forwarded input in ``fmt`` (B4 CSV, B5 XLSX, B6 JSON),
    in process: bytes and seconds. Their peak RSS is measured by ``report``."""
    from bench.report import time_digest

    return time_digest(site.app, fmt)


def csv_baseline(site: Site) -> dict[str, float]:
    """The minimal baseline: a server-side cursor over the same columns, the csv module."""
    from consult.digest.filters import parse_filters
    from consult.digest.query import _COLUMNS, conditions
    from consult.inputs.models import Consultation
    from consult.organisations.models import Organisation

    with site.app.app_context():
        started = time.perf_counter()
        stmt = (
            select(*_COLUMNS)
            .join(Consultation, Consultation.id == Input.consultation_id)
            .join(Organisation, Organisation.id == Input.organisation_id)
            .where(*conditions(parse_filters({"audience": "internal"})))
        )
        out = io.StringIO()
        writer = csv.writer(out)
        rows = 0
        with db.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(stmt)
            for partition in result.partitions():
                writer.writerows(partition)
                rows += len(partition)
                out.seek(0)
                out.truncate()
        elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "rows": rows}


def decision_inputs(site: Site, count: int) -> list[uuid.UUID]:
    """Inputs waiting in the moderator's queue (submitted, unclaimed), for B3."""
    from consult.inputs.states import RoutedTo

    with site.app.app_context():
        busiest = db.session.scalar(
            select(Input.delegation_slug)
            .where(Input.status == Status.SUBMITTED, Input.delegation_slug.is_not(None))
            .group_by(Input.delegation_slug)
            .order_by(func.count().desc())
        )
        ids = list(
            db.session.scalars(
                select(Input.id)
                .where(
                    Input.status == Status.SUBMITTED,
                    Input.delegation_slug == busiest,
                    Input.routed_to == RoutedTo.DELEGATION,
                )
                .order_by(Input.submitted_at)
                .limit(count)
            )
        )
        db.session.rollback()
    return ids


def decision(site: Site, ids: list[uuid.UUID]) -> dict[str, float]:
    """B3: forward each input through ``POST /api/v1/inputs/{id}/decision`` (full stack,
    in process); p95. :func:`undo_decisions` puts them back in the queue afterwards."""
    client = site.app.test_client()
    seconds = []
    for input_id in ids:
        with site.app.app_context():
            version = db.session.scalar(select(Input.version).where(Input.id == input_id))
            db.session.rollback()
        body = {"action": "forward", "version": version, "message": "bench"}
        started = time.perf_counter()
        answer = client.post(
            f"/api/v1/inputs/{input_id}/decision", json=body, headers=site.headers("moderator")
        )
        seconds.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"decision answered {answer.status_code}: {answer.data[:300]!r}")
    return {"p95": serve.p95(seconds), "count": len(ids)}


def undo_decisions(site: Site, ids: list[uuid.UUID], since: datetime) -> None:
    """Put B3's inputs back in the queue, as the database was built."""
    from sqlalchemy import update

    from consult.inputs.events import ReviewEvent

    with site.app.app_context():
        db.session.execute(
            ReviewEvent.__table__.delete().where(
                ReviewEvent.input_id.in_(ids), ReviewEvent.created_at >= since
            )
        )
        db.session.execute(
            update(Input)
            .where(Input.id.in_(ids))
            .values(status=Status.SUBMITTED, forwarded_at=None, claimed_by_id=None)
        )
        db.session.commit()


def publish_release(site: Site) -> dict[str, float]:
    """Publish the consultation's next external release, then roll it back."""
    from consult.digest.releases.publishing import create_release

    with site.app.app_context():
        started = time.perf_counter()
        create_release(SLUG, None, now=datetime(2100, 1, 1))
        db.session.flush()
        elapsed = time.perf_counter() - started
        db.session.rollback()
    return {"seconds": elapsed}


def redaction_texts(site: Site, count: int) -> tuple[list[str], list[str]]:
    from consult.identifiers import known_identifiers

    with site.app.app_context():
        bodies = list(db.session.scalars(select(Input.body).limit(count)))
        known = known_identifiers()
        db.session.rollback()
    # A share of texts carry identifiers, as real ones do.
    for number in range(0, len(bodies), 10):
        bodies[number] += f" Write to {known[number % len(known)]} or call +216 71 234 567."
    return bodies, known


def redaction(texts: list[str], known: list[str]) -> dict[str, float]:
    from consult.identifiers import redact

    started = time.perf_counter()
    for text in texts:
        redact(text, known)
    return {"per_text": (time.perf_counter() - started) / len(texts)}


def submissions(port: int, site: Site, total: int, clients: int) -> dict[str, float]:
    headers = {**site.headers("cso"), "Content-Type": "application/json"}
    stamp = time.time_ns()

    def send(number: int) -> serve.Response:
        key = {"Idempotency-Key": f"bench-{stamp}-{number}"}
        body = serve.submission_body(number, SLUG)
        return serve.request(port, "POST", "/api/v1/inputs", {**headers, **key}, body)

    result = serve.load(send, total, clients)
    failed = sum(n for status, n in result.statuses.items() if status != 201)
    return {"per_second": result.per_second, "p95": result.p95, "failed": failed}


def bare(port: int, total: int, clients: int) -> dict[str, float]:
    body = serve.submission_body(0, SLUG)
    headers = {"Content-Type": "application/json"}

    def send(_number: int) -> serve.Response:
        return serve.request(port, "POST", "/api/v1/inputs", headers, body)

    result = serve.load(send, total, clients)
    return {"per_second": result.per_second, "p95": result.p95}


def first_byte(port: int, site: Site) -> dict[str, float]:
    """Time to the first byte of the internal CSV over HTTP (the download is then dropped)."""
    path = "/api/v1/digest?format=csv&audience=internal"
    import http.client

    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path, headers=site.headers("hq"))
        answer = conn.getresponse()
        answer.read(1)
        seconds = time.perf_counter() - started
        if answer.status != 200:
            raise RuntimeError(f"digest over HTTP answered {answer.status}")
    finally:
        conn.close()
    return {"seconds": seconds}


def report(site: Site, fmt: str) -> dict[str, float]:
    """The internal digest in ``fmt`` in a child process (bench/report.py), so that its
    peak RSS is measured as a worker making it would hold it: figure R (DOCX, HTML) and
    the memory of B4 to B6 (CSV, XLSX, JSON)."""
    import json
    import subprocess
    import sys

    answer = subprocess.run(
        [sys.executable, "-m", "bench.report", site.url, fmt],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(ROOT),
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def median(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(sample[key] for sample in samples)


def remove_bench_inputs(site: Site) -> None:
    """Delete what B1 submitted, so that the next run finds the database as built."""
    from consult.inputs.events import ReviewEvent

    # The API stores a key as "api:<user id>:<key>", so the client's "bench-…" is its tail.
    submitted = Input.idempotency_key.like("%:bench-%")
    with site.app.app_context():
        ids = select(Input.id).where(submitted)
        db.session.execute(ReviewEvent.__table__.delete().where(ReviewEvent.input_id.in_(ids)))
        db.session.execute(Input.__table__.delete().where(submitted))
        db.session.commit()


Sample = Callable[[], dict[str, float]]
