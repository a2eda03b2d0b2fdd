"""Digest exports: time and peak memory for a small and a large set of inputs, side by side.

    .venv/bin/python bench/run.py               # 1,000 vs 10,000 inputs
    .venv/bin/python bench/run.py --sizes 500 5000 --formats csv json

Builds a temporary SQLite database, fills one consultation per size with
forwarded inputs (bulk inserts), publishes each consultation's external
release, then generates each external digest format (a projection of the release)
for each consultation and reports wall time and the peak of Python memory
(tracemalloc) while the file is produced and read. CSV and JSON stream in
batches and XLSX is written in write-only mode, so the peak should stay
flat while the number of inputs grows tenfold.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from consult import create_app  # noqa: E402
from consult.extensions import db  # noqa: E402
from consult.inputs.models import (  # noqa: E402
    Consultation,
    Input,
    InputCountry,
    Recommendation,
    input_themes,
)
from consult.reference import data as ref  # noqa: E402
from consult.reference.services import load_reference_data  # noqa: E402
from consult.timeutil import utcnow  # noqa: E402

WORDS = (
    "community security police youth dialogue border livelihoods oversight parliament "
    "reform trust municipal women mediation prevention funding monitoring"
).split()


def _paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def fill(size: int, slug: str, organisations: list[uuid.UUID], rng: random.Random) -> None:
    now = utcnow()
    consultation = Consultation(
        slug=slug, title=f"Bench consultation ({size} inputs)", opens_at=now, closes_at=now
    )
    db.session.add(consultation)
    db.session.flush()
    priorities = [p for p, _n in ref.PRIORITIES]
    countries = [c for c, _n, _r in ref.COUNTRIES]
    types = [t for t, _n in ref.INPUT_TYPES]
    themes = [t for t, _n in ref.THEMES]
    addressees = [a for a, _n in ref.ADDRESSEES]
    for start in range(0, size, 1000):
        inputs, links, tags, recs = [], [], [], []
        for _ in range(min(1000, size - start)):
            input_id = uuid.uuid4()
            inputs.append(
                {
                    "id": input_id,
                    "consultation_id": consultation.id,
                    "organisation_id": rng.choice(organisations),
                    "priority_slug": rng.choice(priorities),
                    "type_slug": rng.choice(types),
                    "level_slug": "national",
                    "title": _paragraph(rng, 6),
                    "body": " ".join(_paragraph(rng, 15) for _ in range(6)),
                    "moderator_summary": _paragraph(rng, 20),
                    "attribution": rng.choice(["non-attributable"] * 4 + ["attributable"]),
                    "status": "forwarded",
                    "routed_to": "hq",
                    "version": 1,
                    "revision": 1,
                    "language": "en",
                    "is_hq_direct": False,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now - timedelta(days=3),
                    "forwarded_at": now - timedelta(days=rng.randint(0, 60)),
                }
            )
            for pos, code in enumerate(rng.sample(countries, rng.randint(1, 2))):
                links.append({"input_id": input_id, "country_code": code, "position": pos})
            for slug_ in rng.sample(themes, 2):
                tags.append({"input_id": input_id, "theme_slug": slug_})
            for pos in range(rng.randint(1, 3)):
                recs.append(
                    {
                        "input_id": input_id,
                        "position": pos,
                        "addressee_slug": rng.choice(addressees),
                        "text": _paragraph(rng, 20),
                    }
                )
        db.session.execute(insert(Input.__table__), inputs)
        db.session.execute(insert(InputCountry.__table__), links)
        db.session.execute(insert(input_themes), tags)
        db.session.execute(insert(Recommendation.__table__), recs)
    db.session.commit()


def publish(slug: str) -> tuple[float, int]:
    """Publish the consultation's external release (time and peak memory)."""
    from datetime import datetime

    from consult.digest.releases.publishing import create_release

    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    create_release(slug, None, now=datetime(2100, 1, 1))
    db.session.commit()
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def measure(fmt: str, slug: str) -> tuple[float, int, int, int]:
    from consult.digest.services import parse_filters, render_digest

    db.session.expire_all()
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    digest_file = render_digest(fmt, parse_filters({"consultation": slug}), None, via="bench")
    size = sum(len(chunk) for chunk in digest_file.chunks)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.session.rollback()
    return elapsed, peak, size, digest_file.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=["csv", "json", "xlsx"])
    args = parser.parse_args()
    small, large = args.sizes
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "ENV_NAME": "testing",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                "UPLOAD_DIR": tmp,
            }
        )
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
            from consult.organisations.models import Organisation

            rng = random.Random(2026)
            organisations = []
            for number in range(40):
                org = Organisation(
                    name=f"Bench organisation {number}",
                    contact_email=f"org{number}@bench.example.org",
                    is_verified=True,
                )
                db.session.add(org)
                db.session.flush()
                organisations.append(org.id)
            print(f"Filling a temporary database with {small} + {large} inputs ...", flush=True)
            fill(small, "bench-small", organisations, rng)
            fill(large, "bench-large", organisations, rng)
            t1, p1 = publish("bench-small")
            t2, p2 = publish("bench-large")
            mib = 1024 * 1024
            print(
                f"\nPublishing the release (freeze, suppression audit, texts): "
                f"{small} inputs {t1:.2f} s {p1 / mib:.1f} MiB, {large} inputs {t2:.2f} s "
                f"{p2 / mib:.1f} MiB ({t2 / t1:.1f}x time, {p2 / p1:.1f}x memory)"
            )
            print()
            header = (
                f"{'format':<6} {'inputs':>7} {'time s':>8} {'peak MiB':>9} {'file MiB':>9}"
                f"   {'inputs':>7} {'time s':>8} {'peak MiB':>9} {'file MiB':>9}"
                f"   {'time x':>7} {'memory x':>9}"
            )
            # One unmeasured run first: imports and compiled patterns are not the export's.
            for fmt in args.formats:
                measure(fmt, "bench-small")
            print(header)
            print("-" * len(header))
            for fmt in args.formats:
                t1, p1, s1, n1 = measure(fmt, "bench-small")
                t2, p2, s2, n2 = measure(fmt, "bench-large")
                mib = 1024 * 1024
                print(
                    f"{fmt:<6} {n1:>7} {t1:>8.2f} {p1 / mib:>9.2f} {s1 / mib:>9.2f}"
                    f"   {n2:>7} {t2:>8.2f} {p2 / mib:>9.2f} {s2 / mib:>9.2f}"
                    f"   {t2 / t1:>7.1f} {p2 / p1:>9.2f}",
                    flush=True,
                )
            print(
                f"\n{large // small}x the inputs: time grows with the data, the memory peak "
                "should stay near 1x (streamed in batches; XLSX in write-only mode)."
            )


if __name__ == "__main__":
    main()
