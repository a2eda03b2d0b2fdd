"""One internal digest (CSV, XLSX, JSON, DOCX or HTML) in a fresh process: time and peak RSS.

    .venv/bin/python -m bench.report DATABASE_URL docx

Run by the benchmark in a child process (figure R, and the memory of B4 to
B6), so that the peak resident memory (``VmHWM``) is the digest's own: the
interpreter, the app and the digest, as a job worker making it would hold them.
Prints one JSON object.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def time_digest(app: Any, fmt: str) -> dict[str, float]:
    """HQ's internal digest of every forwarded input in ``fmt``: seconds, bytes, rows."""
    from sqlalchemy import select

    from consult.auth.models import User
    from consult.digest.filters import parse_filters
    from consult.digest.rendering import render_digest
    from consult.extensions import db

    with app.app_context():
        hq = db.session.scalar(select(User).where(User.email == "hq@load.example.org"))
        started = time.perf_counter()
        digest = render_digest(fmt, parse_filters({"audience": "internal"}), hq, via="bench")
        size = sum(len(chunk) for chunk in digest.chunks)
        seconds = time.perf_counter() - started
        db.session.rollback()
    return {"seconds": seconds, "bytes": size, "rows": digest.count}


def main(url: str, fmt: str) -> dict[str, float]:
    from bench.databases import app_for

    return {**time_digest(app_for(url), fmt), "peak_rss": peak_rss()}


def peak_rss() -> int:
    """This process's peak resident memory, in bytes.

    ``VmHWM`` belongs to the process's own memory since its ``exec``;
    ``ru_maxrss`` would not do: Linux carries it over from the parent across
    ``fork``, so a child of the (large) benchmark reported the benchmark's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
