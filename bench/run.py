"""``make bench``: consult's figures at several sizes, side by side, as ratios.

    .venv/bin/python bench/run.py                          # sizes 1,000 / 100,000 / 1,000,000
    .venv/bin/python bench/run.py --sizes 1000 20000 --runs 5
    .venv/bin/python bench/run.py --quick                  # smoke test, under 2 minutes

PostgreSQL when ``TEST_DATABASE_URL`` or ``DATABASE_URL`` names one, SQLite
otherwise. Each size gets its own database, filled once by ``generate-load``
and reused (``--rebuild`` refills). Every figure is sampled ``--runs`` times,
the samples of all figures and sizes interleaved (run 1 of everything, then
run 2, ...), and the median is reported, mostly as a ratio: to a baseline
measured in the same run, or largest size over smallest. The table says which
of issue 17's targets are met; the JSON file (``--json``) keeps every sample
so that two runs can be compared. Nothing is asserted: tests do not time.

Figures: B0 bare Flask endpoint on gunicorn; B1 submission through the API on
the same gunicorn settings; B2 review queue pages (first, deep) p95 and SQL
statements, API and HTML; B4 internal CSV vs a server-side-cursor csv baseline,
and its first byte over HTTP; B5/B6 XLSX and JSON; B7 digest aggregates; B8
external release publication; B9 identifier redaction per text; R the DOCX and
HTML reports (time and peak RSS of a child process).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import databases, figures  # noqa: E402
from bench.serve import gunicorn, production_env  # noqa: E402

DEFAULT_SIZES = [1_000, 100_000, 1_000_000]
QUICK_SIZES = [200, 1_000]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="inputs per database")
    parser.add_argument("--runs", type=int, default=5, help="samples per figure (median)")
    parser.add_argument("--requests", type=int, help="HTTP requests per B0/B1 sample")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--texts", type=int, help="texts redacted per B9 sample")
    parser.add_argument("--deep", type=int, default=20, help="the deep page's number")
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--rebuild", action="store_true", help="refill the databases")
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="skip the peak-RSS samples of B4-B6 (one more export per format and size)",
    )
    parser.add_argument(
        "--figures",
        nargs="+",
        default=["B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "R"],
    )
    parser.add_argument("--json", default="bench/results/latest.json", help="results file")
    args = parser.parse_args(argv)
    args.sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    args.requests = args.requests or (24 if args.quick else 400)
    args.texts = args.texts or (50 if args.quick else 100_000)
    if args.quick:
        args.deep = min(args.deep, 3)
        figures.PAGE_REPS = 5
    return args


def machine() -> dict[str, Any]:
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            memory = info.readline().split(":")[1].strip()
    except OSError:
        pass
    model = ""
    try:
        with open("/proc/cpuinfo") as info:
            model = next((line.split(":")[1].strip() for line in info if "model name" in line), "")
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


class Samples:
    """Every sample, by figure key, in the order taken."""

    def __init__(self) -> None:
        self.data: dict[str, list[dict[str, float]]] = {}

    def take(self, key: str, measure: Any, *args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        self.data.setdefault(key, []).append(measure(*args, **kwargs))
        print(f"    {key:<34} {time.perf_counter() - started:7.2f} s", flush=True)

    def median(self, key: str, field: str) -> float | None:
        samples = self.data.get(key)
        return figures.median(samples, field) if samples else None


def _stop(_signum: int, _frame: Any) -> None:
    """SIGTERM ends the run as Ctrl-C does, through its clean-up."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    started = time.perf_counter()
    backend = "postgresql" if databases.server_url() else "sqlite"
    print(f"consult bench: {backend}, sizes {args.sizes}, {args.runs} runs", flush=True)

    built: dict[int, float | None] = {}
    sites = {}
    for size in args.sizes:
        print(f"  database of {size} inputs ...", end=" ", flush=True)
        database = databases.ensure(size, rebuild=args.rebuild)
        built[size] = database.built_in
        print("reused" if database.built_in is None else f"built in {database.built_in:.1f} s")
        sites[size] = figures.open_site(size, database.url)
    large = sites[args.sizes[-1]]
    if "B2" in args.figures:
        for site in sites.values():
            figures.prepare_deep_pages(site, args.deep)
    texts, known = ([], [])
    if "B9" in args.figures:
        texts, known = figures.redaction_texts(large, args.texts)

    samples = Samples()
    wants = set(args.figures)
    # B3 forwards inputs waiting in a queue: a fresh batch for every run, put back after.
    decisions: dict[int, list] = {}
    decided_since = datetime.now(UTC).replace(tzinfo=None)
    if "B3" in wants:
        for size, site in sites.items():
            ids = figures.decision_inputs(site, args.runs * figures.PAGE_REPS)
            per_run = len(ids) // args.runs
            if per_run:
                decisions[size] = [
                    ids[run * per_run : (run + 1) * per_run] for run in range(args.runs)
                ]
    # The production entry point with generated production settings (gunicorn refuses
    # anything else); rate limits off, or the load client would be throttled.
    gunicorn_env = production_env(large.url, RATELIMIT_ENABLED="0")
    # A run stopped midway (Ctrl-C, SIGTERM) still puts the databases back as built:
    # otherwise its submissions and decisions stay, and the next run rebuilds them.
    signal.signal(signal.SIGTERM, _stop)
    try:
        with (
            gunicorn("bench.bare:app", {}, args.workers) as bare_port,
            gunicorn("consult.wsgi:app", gunicorn_env, args.workers) as app_port,
        ):
            # Unmeasured: workers import the app and open connections on first use.
            figures.bare(bare_port, args.clients * 2, args.clients)
            figures.submissions(app_port, large, args.clients * 2, args.clients)
            for run in range(args.runs):
                print(f"  run {run + 1}/{args.runs}", flush=True)
                if "B0" in wants or "B1" in wants:
                    samples.take("B0", figures.bare, bare_port, args.requests, args.clients)
                    samples.take(
                        "B1",
                        figures.submissions,
                        app_port,
                        large,
                        args.requests,
                        args.clients,
                    )
                for size, site in sites.items():
                    if "B2" in wants:
                        for name in figures.QUEUES:
                            for deep in (False, True):
                                key = f"B2/{name}/{'deep' if deep else 'first'}/{size}"
                                samples.take(key, figures.queue_page, site, name, deep)
                    if "B4" in wants:
                        samples.take(f"B4/csv/{size}", figures.internal_csv, site)
                        samples.take(f"B4/baseline/{size}", figures.csv_baseline, site)
                    if "B7" in wants:
                        samples.take(f"B7/{size}", figures.aggregates, site)
                    if size in decisions:
                        samples.take(f"B3/{size}", figures.decision, site, decisions[size][run])
                    if "B5" in wants:
                        samples.take(f"B5/xlsx/{size}", figures.internal_csv, site, fmt="xlsx")
                    if "B6" in wants:
                        samples.take(f"B6/json/{size}", figures.internal_csv, site, fmt="json")
                    if "R" in wants:
                        for fmt in ("docx", "html"):
                            samples.take(f"R/{fmt}/{size}", figures.report, site, fmt)
                if "B8" in wants:
                    samples.take(f"B8/{large.size}", figures.publish_release, large)
                if "B4" in wants:
                    samples.take("B4/first-byte", figures.first_byte, app_port, large)
                if "B9" in wants:
                    samples.take("B9", figures.redaction, texts, known)
            for figure, fmt in (("B4", "csv"), ("B5", "xlsx"), ("B6", "json")):
                if figure in wants and not args.no_memory:
                    for size, site in sites.items():
                        samples.take(f"{figure}/memory/{size}", figures.report, site, fmt)
    finally:
        for size, batches in decisions.items():
            figures.undo_decisions(
                sites[size], [i for batch in batches for i in batch], decided_since
            )
        if "B1" in wants:
            figures.remove_bench_inputs(large)

    rows = table(samples, args, built)
    result = {
        "backend": backend,
        "sizes": args.sizes,
        "runs": args.runs,
        "requests": args.requests,
        "clients": args.clients,
        "workers": args.workers,
        "machine": machine(),
        "seconds": time.perf_counter() - started,
        "figures": rows,
        "samples": samples.data,
    }
    print_table(rows, result)
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nSamples and medians written to {path} ({result['seconds']:.0f} s in all).")
    return result


def _row(figure: str, what: str, value: float | None, unit: str, target: str, met: bool | None):
    return {
        "figure": figure,
        "what": what,
        "value": value,
        "unit": unit,
        "target": target,
        "met": met,
    }


def table(samples: Samples, args: argparse.Namespace, built: dict[int, float | None]) -> list:
    s, l = args.sizes[0], args.sizes[-1]  # noqa: E741 - small and large
    rows: list[dict[str, Any]] = []
    for size, seconds in built.items():
        if seconds is not None:
            rows.append(_row("load", f"generate-load {size} inputs", seconds, "s", "", None))
    b0, b1 = samples.median("B0", "per_second"), samples.median("B1", "per_second")
    if b0 is not None:
        rows.append(_row("B0", "bare Flask endpoint", b0, "req/s", "", None))
    if b1 is not None and b0:
        ratio = b1 / b0
        rows.append(
            _row("B1", f"API submission ({l} inputs) / B0", ratio, "x", ">= 0.15", ratio >= 0.15)
        )
        p95 = samples.median("B1", "p95") * 1000
        rows.append(_row("B1", "API submission p95", p95, "ms", "<= 200", p95 <= 200))
        failed = sum(sample["failed"] for sample in samples.data["B1"])
        rows.append(
            _row("B1", "failed submissions (e.g. database is locked)", failed, "", "0", failed == 0)
        )
    for name in figures.QUEUES:
        for depth in ("first", "deep"):
            key = f"B2/{name}/{depth}"
            small_p95 = samples.median(f"{key}/{s}", "p95")
            large_p95 = samples.median(f"{key}/{l}", "p95")
            if small_p95 is None or large_p95 is None:
                continue
            what = f"queue {name}, {depth} page"
            rows.append(
                _row("B2", f"{what} p95 at {l}", large_p95 * 1000, "ms", "<= 100", large_p95 <= 0.1)
            )
            ratio = large_p95 / small_p95
            rows.append(_row("B2", f"{what} p95 {l}/{s}", ratio, "x", "<= 1.3", ratio <= 1.3))
            statements = samples.data[f"{key}/{l}"][-1]["statements"]
            rows.append(_row("B2", f"{what} SQL statements", statements, "", "constant", None))
    for size in args.sizes:
        csv_s = samples.median(f"B4/csv/{size}", "seconds")
        base = samples.median(f"B4/baseline/{size}", "seconds")
        if csv_s is not None and base:
            ratio = csv_s / base
            rows.append(
                _row(
                    "B4",
                    f"internal CSV {size} ({csv_s:.2f} s) / csv baseline ({base:.2f} s)",
                    ratio,
                    "x",
                    "<= 1.5",
                    ratio <= 1.5,
                )
            )
    ttfb = samples.median("B4/first-byte", "seconds")
    if ttfb is not None:
        rows.append(
            _row("B4", f"internal CSV first byte over HTTP at {l}", ttfb, "s", "<= 1", ttfb <= 1)
        )
    mem_s, mem_l = (
        samples.median(f"B4/memory/{s}", "peak_rss"),
        samples.median(f"B4/memory/{l}", "peak_rss"),
    )
    if mem_s and mem_l:
        ratio = mem_l / mem_s
        rows.append(
            _row(
                "B4",
                f"internal CSV peak RSS {l}/{s} ({mem_s / 2**20:.0f} / {mem_l / 2**20:.0f} MiB)",
                ratio,
                "x",
                "<= 1.2",
                ratio <= 1.2,
            )
        )
    rows += _decision_rows(samples, s, l)
    rows += _export_rows(samples, args.sizes)
    rows += _report_rows(samples, args.sizes)
    a_s, a_l = samples.median(f"B7/{s}", "p95"), samples.median(f"B7/{l}", "p95")
    if a_s is not None and a_l is not None:
        rows.append(
            _row("B7", f"digest aggregates p95 at {l}", a_l * 1000, "ms", "<= 500", a_l <= 0.5)
        )
        rows.append(_row("B7", f"digest aggregates p95 {l}/{s}", a_l / a_s, "x", "", None))
    rows_l = samples.median(f"B7/{l}", "rows_p95")
    if rows_l is not None:
        rows.append(
            _row(
                "B7",
                f"the same from GROUP BYs over the inputs at {l}",
                rows_l * 1000,
                "ms",
                "",
                None,
            )
        )
    for size in args.sizes:
        release = samples.median(f"B8/{size}", "seconds")
        if release is not None:
            met = release <= 60 if size == l else None
            rows.append(
                _row("B8", f"publish a release of {size} inputs", release, "s", "<= 60", met)
            )
    per_text = samples.median("B9", "per_text")
    if per_text is not None:
        count = args.texts
        rows.append(
            _row(
                "B9",
                f"identifier redaction per text ({count} texts)",
                per_text * 1000,
                "ms",
                "<= 1",
                per_text <= 0.001,
            )
        )
    return rows


def _decision_rows(samples: Samples, s: int, l: int) -> list[dict[str, Any]]:  # noqa: E741
    d_s, d_l = samples.median(f"B3/{s}", "p95"), samples.median(f"B3/{l}", "p95")
    if d_s is None or d_l is None:
        return []
    return [
        _row("B3", f"review decision (forward) p95 at {l}", d_l * 1000, "ms", "", None),
        _row("B3", f"review decision p95 {l}/{s}", d_l / d_s, "x", "<= 1.2", d_l / d_s <= 1.2),
    ]


def _export_rows(samples: Samples, sizes: list[int]) -> list[dict[str, Any]]:
    """B5 (XLSX) and B6 (JSON) as multiples of B4's CSV time, and their peak memory."""
    rows: list[dict[str, Any]] = []
    for figure, fmt, most in (("B5", "xlsx", 8.0), ("B6", "json", 2.0)):
        for size in sizes:
            seconds = samples.median(f"{figure}/{fmt}/{size}", "seconds")
            csv_s = samples.median(f"B4/csv/{size}", "seconds")
            if seconds is None or not csv_s:
                continue
            ratio = seconds / csv_s
            what = f"internal {fmt.upper()} {size} ({seconds:.2f} s) / B4 CSV ({csv_s:.2f} s)"
            rows.append(_row(figure, what, ratio, "x", f"<= {most:g}", ratio <= most))
        small = samples.median(f"{figure}/memory/{sizes[0]}", "peak_rss")
        large = samples.median(f"{figure}/memory/{sizes[-1]}", "peak_rss")
        if small and large:
            what = (
                f"internal {fmt.upper()} peak RSS {sizes[-1]}/{sizes[0]} "
                f"({small / 2**20:.0f} / {large / 2**20:.0f} MiB)"
            )
            rows.append(_row(figure, what, large / small, "x", "flat", None))
    return rows


def _report_rows(samples: Samples, sizes: list[int]) -> list[dict[str, Any]]:
    """Figure R: the DOCX and HTML reports, time and peak RSS (targets set at 100,000)."""
    rows: list[dict[str, Any]] = []
    for fmt in ("docx", "html"):
        for size in sizes:
            seconds = samples.median(f"R/{fmt}/{size}", "seconds")
            if seconds is None:
                continue
            rss = samples.median(f"R/{fmt}/{size}", "peak_rss") / 2**20
            judged = size >= 100_000
            what = f"internal {fmt.upper()} report of {size} inputs"
            rows.append(
                _row(
                    "R", f"{what}: time", seconds, "s", "<= 60", (seconds <= 60) if judged else None
                )
            )
            rows.append(
                _row(
                    "R", f"{what}: peak RSS", rss, "MiB", "<= 300", (rss <= 300) if judged else None
                )
            )
    return rows


def print_table(rows: list[dict[str, Any]], result: dict[str, Any]) -> None:
    info = result["machine"]
    print(
        f"\n{result['backend']}, {info['cpus']} CPUs ({info['cpu']}), {info['memory']}, "
        f"load average {info['load_average']}; medians of {result['runs']} interleaved runs\n"
    )
    header = f"{'fig':<5} {'what':<72} {'value':>10} {'unit':<6} {'target':<9} verdict"
    print(header)
    print("-" * len(header))
    for row in rows:
        value = row["value"]
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        verdict = {True: "met", False: "MISSED", None: ""}[row["met"]]
        print(
            f"{row['figure']:<5} {row['what']:<72} {shown:>10} {row['unit']:<6} "
            f"{row['target']:<9} {verdict}"
        )
    missed = [row for row in rows if row["met"] is False]
    if missed:
        print(f"\n{len(missed)} target(s) missed: see docs/scale.md for why and what would fix it.")


if __name__ == "__main__":
    main()
