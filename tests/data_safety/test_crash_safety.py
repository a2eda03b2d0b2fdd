"""Nothing acknowledged is lost.

* A real server (a threaded server process of its own; gunicorn serves only the
  production settings) on an SQLite file is killed with SIGKILL again and
  again while CSO members submit inputs with attachments; every submission
  that got a success answer is there afterwards, with its file, and
  ``PRAGMA integrity_check`` says ``ok``.
* Many writers at once on SQLite never get "database is locked".
* On PostgreSQL, an abrupt outage (a proxy between the app and the server is
  cut) answers 503, never a false success, and the app recovers by itself.
"""

from __future__ import annotations

import hashlib
import os
import random
import select as select_mod
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from config import BASE_DIR
from consult.extensions import db
from consult.inputs.models import Input
from consult.reference.services import load_reference_data
from tests import factories


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process (``flask run``, threaded) serving consult on an SQLite file,
    in its own process group. gunicorn refuses the testing settings."""

    def __init__(self, db_file: Path, uploads: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CONSULT_ENV": "testing",
            "TEST_DATABASE_URL": f"sqlite:///{db_file}",
            "CONSULT_UPLOAD_DIR": str(uploads),
        }
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "flask",
                    "--app",
                    "consult",
                    "run",
                    "--no-reload",
                    "--no-debugger",
                    "--with-threads",
                    "--host=127.0.0.1",
                    f"--port={self.port}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise AssertionError("the server did not start:\n" + self.log.read_text()[-2000:])

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no cleanup, no flush."""
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def crash_site(tmp_path: Path, make_app, new_input_url) -> Iterator[tuple[Path, Path, str, str]]:
    """A fresh SQLite file with one CSO member and an open consultation."""
    db_file, uploads = tmp_path / "crash.sqlite", tmp_path / "uploads"
    site = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_file}", UPLOAD_DIR=str(uploads))
    with site.app_context():
        db.create_all()
        load_reference_data()
        db.session.commit()
        org = factories.make_organisation("Crash Test Forum", ["TN"])
        user = factories.make_user("crash@forum.example.org", "cso", organisation=org)
        consultation = factories.make_consultation("crash-test")
        email, url = user.email, new_input_url(consultation)
        db.session.remove()
        db.engine.dispose()
    yield db_file, uploads, email, url


def _sign_in(session: requests.Session, base: str, email: str) -> None:
    session.post(
        f"{base}/auth/login",
        data={"email": email, "password": factories.PASSWORD},
        allow_redirects=False,
        timeout=5,
    )


@pytest.mark.slow
def test_kill_9_during_a_stream_of_submissions_loses_nothing_acknowledged(
    crash_site, tmp_path: Path, input_form, png_bytes
):
    db_file, uploads, email, form_url = crash_site
    server = Server(db_file, uploads, tmp_path / "server.log")
    acknowledged: dict[str, tuple[uuid.UUID, bool]] = {}
    unexpected: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    nonlocal_counts = {"signed_out": 0}
    refused: list[str] = []

    def submitter(n: int) -> None:
        session = requests.Session()
        signed_in = False
        i = 0
        while not stop.is_set():
            try:
                if not signed_in:
                    _sign_in(session, server.base, email)
                    signed_in = True
                token = f"crash-{n}-{i}-{uuid.uuid4().hex}"
                with_file = i % 2 == 0
                files = (
                    {"attachments": ("photo.png", png_bytes(), "image/png")} if with_file else None
                )
                response = session.post(
                    server.base + form_url,
                    data=input_form(token=token, title=f"Crash input {n}-{i}"),
                    files=files,
                    allow_redirects=False,
                    timeout=5,
                )
                i += 1
            except requests.RequestException as exc:
                # The server is down (or died mid-answer): not acknowledged.
                refused.append(type(exc).__name__)
                time.sleep(0.05)
                continue
            location = response.headers.get("Location", "")
            if response.status_code == 302 and "/inputs/" in location:
                with lock:
                    acknowledged[token] = (uuid.UUID(location.rsplit("/", 1)[-1]), with_file)
            elif (response.status_code == 302 and "/login" in location) or (
                response.status_code == 401  # the form, text kept, asking to sign in again
            ):
                signed_in = False
                nonlocal_counts["signed_out"] += 1
            else:
                unexpected.append(f"{response.status_code}: {response.text[:300]}")

    server.start()
    threads = [threading.Thread(target=submitter, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(2):
            # Let a few submissions through, then kill at a random moment mid-stream.
            seen = len(acknowledged)
            deadline = time.monotonic() + 10
            while len(acknowledged) < seen + 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(random.uniform(0, 0.3))
            server.kill()
            server.start()
        # After the last restart, let submissions through again (a busy machine
        # takes seconds to start the server) before the final kill.
        deadline = time.monotonic() + 30
        while len(acknowledged) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(random.uniform(0, 0.3))
        server.kill()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        server.kill()

    assert not unexpected, unexpected[:3]
    print(
        f"{len(acknowledged)} acknowledged, {nonlocal_counts['signed_out']} sign-ins lost, "
        f"{len(refused)} refused ({', '.join(sorted(set(refused)))})"
    )
    assert len(acknowledged) >= 5, (
        "too few submissions got through:\n" + server.log.read_text()[-3000:]
    )

    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for token, (input_id, with_file) in acknowledged.items():
            row = conn.execute(
                "SELECT id, status FROM inputs WHERE idempotency_key = ?", (token,)
            ).fetchone()
            assert row is not None, f"acknowledged submission {token} is lost"
            assert uuid.UUID(row[0]) == input_id and row[1] == "submitted"
            files = conn.execute(
                "SELECT count(*) FROM attachments WHERE input_id = ?", (row[0],)
            ).fetchone()[0]
            assert files == (1 if with_file else 0)
        # No row without its file, whatever the moment of the kill.
        for storage_name, sha256 in conn.execute("SELECT storage_name, sha256 FROM attachments"):
            path = uploads / storage_name
            assert path.is_file(), f"attachment row {storage_name} lost its file"
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    finally:
        conn.close()


def test_concurrent_writers_never_see_database_is_locked(
    app, consultation, cso_user, input_form, new_input_url
):
    """Many CSO members submitting at the same moment all succeed (SQLite: WAL + busy timeout)."""
    answers: list[tuple[int, str]] = []
    url = new_input_url(consultation)
    clients = [factories.login(app.test_client(), cso_user) for _ in range(6)]

    def member(n: int) -> None:
        for i in range(8):
            response = clients[n].post(url, data=input_form(title=f"Concurrent {n}-{i}"))
            answers.append((response.status_code, response.get_data(as_text=True)[:300]))

    threads = [threading.Thread(target=member, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 48
    assert [a for a in answers if a[0] != 302] == []
    assert not any("locked" in text for _status, text in answers)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Input)) == 48


class CuttableProxy:
    """A TCP proxy to PostgreSQL whose connections can be cut at once, like an outage."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self.closing = threading.Event()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closing.is_set():
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()  # the server is "gone": connection dropped at once
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select_mod.select([a, b], [], [], 0.5)
                if self.down.is_set() or self.closing.is_set():
                    break
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except OSError:
            pass
        finally:
            for sock in (a, b):
                try:
                    sock.close()
                except OSError:
                    pass

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            for client, upstream in self.pairs:
                for sock in (client, upstream):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            self.pairs.clear()

    def restore(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.closing.set()
        self.cut()
        self.listener.close()


def test_postgres_outage_answers_503_and_recovers(
    app, make_app, database_uri, consultation, cso_user, input_form, new_input_url
):
    if not database_uri.startswith("postgresql"):
        pytest.skip("runs when TEST_DATABASE_URL is PostgreSQL")
    url = make_url(database_uri)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        via_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        site = make_app(SQLALCHEMY_DATABASE_URI=via_proxy)
        client = site.test_client()
        form_url = new_input_url(consultation)
        factories.login(client, cso_user)
        before = client.post(form_url, data=input_form(token="before-outage-" + "x" * 10))
        assert before.status_code == 302

        proxy.cut()
        during = [
            client.post(form_url, data=input_form(token=f"during-outage-{n}-" + "x" * 10))
            for n in range(3)
        ]
        health = client.get("/healthz")

        proxy.restore()
        after = client.post(form_url, data=input_form(token="after-outage-" + "x" * 10))
        with site.app_context():
            db.session.remove()
            db.engine.dispose()

        assert [r.status_code for r in during] == [503, 503, 503]
        page = during[0].get_data(as_text=True)
        assert "Nothing was saved" in page
        assert health.status_code == 503
        assert after.status_code == 302  # recovered without a restart
    finally:
        proxy.close()

    db.session.expire_all()
    keys = set(db.session.scalars(select(Input.idempotency_key)))
    assert "before-outage-" + "x" * 10 in keys and "after-outage-" + "x" * 10 in keys
    assert not any(k.startswith("during-outage") for k in keys)  # never a false success
