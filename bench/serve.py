"""gunicorn as in production, and a small HTTP load client (threads, one request each)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Complete, generated production settings: gunicorn serves nothing else.

    Fresh random secrets each run; sessions, rate limits and the job queue on
    the local Redis (``TEST_REDIS_URL`` when set), as production keeps them.
    Digests are streamed in the request whatever their size (no job), since
    that is what B4's first byte measures.
    """
    import secrets

    from cryptography.fernet import Fernet

    redis_url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    return {
        "CONSULT_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DIGEST_REFERENCE_KEY": secrets.token_hex(32),
        "SESSION_REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "CONSULT_JOBS_REDIS_URL": redis_url,
        "CONSULT_JOBS_QUEUE": f"consult-bench-{secrets.token_hex(4)}",
        "CONSULT_JOB_THRESHOLD_INPUTS": str(10**9),
        "CONSULT_STORAGE": "local",
        **extra,
    }


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int) -> Iterator[int]:
    """Serve ``app`` on a free port with ``workers`` sync workers; yield the port."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", app],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn {app} did not start: {process.stderr.read().decode()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@dataclass
class Response:
    status: int
    seconds: float
    first_byte: float
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    #: (name, value) of each Set-Cookie, in order.
    cookies: list[tuple[str, str]] = field(default_factory=list)


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> Response:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        first = answer.read(1)
        first_byte = time.perf_counter() - started
        data = first + answer.read()
        cookies = [
            tuple(value.split(";", 1)[0].strip().split("=", 1))
            for value in answer.msg.get_all("Set-Cookie") or []
        ]
        return Response(
            answer.status,
            time.perf_counter() - started,
            first_byte,
            data,
            dict(answer.getheaders()),
            cookies,  # type: ignore[arg-type]
        )
    finally:
        conn.close()


@dataclass
class LoadResult:
    per_second: float
    p95: float
    statuses: dict[int, int]


def load(send: Callable[[int], Response], total: int, clients: int) -> LoadResult:
    """``total`` requests from ``clients`` threads; throughput, p95 and the status codes."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            try:
                answer = send(number)
                status, seconds = answer.status, answer.seconds
            except OSError:
                status, seconds = 0, 0.0
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return LoadResult(total / elapsed, p95(latencies), statuses)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


def submission_body(number: int, consultation: str) -> bytes:
    """A valid input for ``POST /api/v1/inputs`` (as a CSO's tool would send it)."""
    return json.dumps(
        {
            "consultation": consultation,
            "priority": "ssr",
            "countries": ["TN"],
            "level": "national",
            "type": "context-analysis",
            "title": f"Community policing forums {number}",
            "body": "Joint forums between police and residents reduce tension in the suburbs.",
            "recommendations": [{"addressee": "eu", "text": "Fund joint forums."}],
            "themes": ["community-security"],
            "language": "en",
            "attribution": "non-attributable",
        }
    ).encode()
