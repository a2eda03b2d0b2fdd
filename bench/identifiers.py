"""Identifier detection: one automaton against a regular expression per registered name.

    .venv/bin/python bench/identifiers.py                  # 30, 300 and 3,000 names
    .venv/bin/python bench/identifiers.py --names 100 10000 --texts 3000

Runs, side by side in one process and on the same texts (the annotated corpus
in tests/data/identifiers, repeated), for each number of registered names:

- ``per-name regex``: what the detector did before: one case-insensitive
  regular expression per registered name, tried on every text;
- ``automaton``: the registered names folded into one Aho-Corasick automaton
  (consult.identifiers.registry), one pass per text;
- ``full detector``: everything an external digest runs per text (registered
  names, shapes, phones, people, organisations).

It prints milliseconds per 1,000 texts, the ratio of the per-name regexes to
the automaton, and the full detector's time extrapolated to a digest of
100,000 inputs. Timings are never asserted in tests; this is where they are read.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consult.identifiers import Detector  # noqa: E402
from consult.identifiers.registry import Registry  # noqa: E402

DATA = ROOT / "tests" / "data" / "identifiers"
PLACES = (
    "Kasserine Sfax Gafsa Oran Tlemcen Irbid Mafraq Tripoli Sidon Tyre Sabha Misrata Nablus "
    "Hebron Gaza Idlib Gyumri Syunik Lankaran Ganja Grodno Brest Kutaisi Batumi Comrat Balti "
    "Kherson Odesa Kharkiv Lviv Alexandria Aswan Tanta Oujda Nador Tetouan Jenin Zarqa"
).split()
WORDS = (
    "Youth Women Civic Security Peace Dialogue Rights Digital Community Safety Justice Media "
    "Legal Border Rural Reconciliation Resilience Oversight Accountability Solidarity"
).split()
KINDS = "Forum Network Association Centre Council Initiative Coalition Observatory Platform Club"


def registered_names(count: int, rng: random.Random) -> list[str]:
    """The corpus registry, then invented names of the same shape, up to ``count``."""
    rows = json.loads((DATA / "registered-organisations.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in rows] + [r["acronym"] for r in rows if r["acronym"]]
    seen = set(names)
    while len(names) < count:
        name = " ".join(
            [rng.choice(PLACES), *rng.sample(WORDS, rng.randint(1, 2)), rng.choice(KINDS.split())]
        )
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names[:count]


def per_name_regex(texts: list[str], names: list[str]) -> int:
    """The former approach: a regex per name per text (the re module's cache holds 512)."""
    found = 0
    for text in texts:
        for name in names:
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
            found += sum(1 for _ in pattern.finditer(text))
    return found


def automaton(texts: list[str], registry: Registry) -> int:
    return sum(sum(1 for _ in registry.find(text)) for text in texts)


def full_detector(texts: list[str], detector: Detector) -> int:
    return sum(len(detector.find(text)) for text in texts)


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, nargs="+", default=[30, 300, 3000])
    parser.add_argument("--texts", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(12)
    corpus = [
        json.loads(line)["text"]
        for line in (DATA / "identifiers-dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts = [corpus[i % len(corpus)] for i in range(args.texts)]
    Detector(()).find(texts[0])  # load the name gazetteer before timing
    print(f"{len(texts)} texts (corpus passages, {sum(map(len, texts)) // len(texts)} chars avg)")
    header = (
        f"{'names':>6}  {'per-name regex':>15}  {'automaton':>10}  {'ratio':>7}  "
        f"{'full detector':>14}  {'100k inputs':>11}"
    )
    print(header)
    print("-" * len(header))
    per_thousand = 1000 / len(texts)
    for count in args.names:
        names = registered_names(count, rng)
        registry = Registry(names)
        detector = Detector(names)
        regex_s = timed(per_name_regex, texts, names)
        automaton_s = timed(automaton, texts, registry)
        full_s = timed(full_detector, texts, detector)
        print(
            f"{count:>6}  {regex_s * per_thousand * 1000:>12.0f} ms  "
            f"{automaton_s * per_thousand * 1000:>7.0f} ms  "
            f"{regex_s / automaton_s:>6.1f}x  "
            f"{full_s * per_thousand * 1000:>11.0f} ms  "
            f"{full_s * 100_000 / len(texts):>9.0f} s"
        )
    print("(times per 1,000 texts; '100k inputs' is the full detector on 100,000 texts)")


if __name__ == "__main__":
    main()
