"""Scoring the detector on an annotated corpus, exactly as an external digest redacts.

The corpus is JSON lines ``{"id", "lang", "text", "identifiers": [{"text", "kind"}],
"decoys": [str]}``; the registry is a JSON list of ``{"name", "acronym", "email",
"country"}``. Every text is redacted with ``consult.identifiers.redact`` and the
registered organisations as known identifiers (what ``known_identifiers()``
gives a digest). Then:

- recall: the share of annotated identifiers whose text no longer appears in
  the redacted output;
- decoy survival: the share of decoys still present verbatim.

Run ``make eval-identifiers [CORPUS=path REGISTRY=path]`` or
``python -m consult.identifiers.scoring [--corpus path] [--registry path] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from consult.identifiers import KnownIdentifiers, known_from_organisations, redact

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "identifiers"
DEFAULT_CORPUS = DATA / "identifiers-dev.jsonl"
DEFAULT_REGISTRY = DATA / "registered-organisations.json"

# The floors `make test` holds the shared corpus to.
FLOORS = {
    "email": 0.98,
    "phone": 0.98,
    "url": 0.98,
    "handle": 0.98,
    "organisation": 0.95,
    "person_per_language": 0.90,
    "decoys": 0.90,
}


@dataclass
class Tally:
    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += ok

    @property
    def rate(self) -> float | None:
        return self.hit / self.total if self.total else None


@dataclass
class Score:
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    person_by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    decoys_by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    recall: Tally = field(default_factory=Tally)
    decoys: Tally = field(default_factory=Tally)
    misses: list[dict] = field(default_factory=list)
    lost_decoys: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        def table(tallies: dict[str, Tally]) -> dict:
            return {
                k: {"hit": t.hit, "total": t.total, "rate": _round(t.rate)}
                for k, t in sorted(tallies.items())
            }

        return {
            "recall": _round(self.recall.rate),
            "decoys": _round(self.decoys.rate),
            "recall_by_kind": table(self.by_kind),
            "recall_by_language": table(self.by_language),
            "person_recall_by_language": table(self.person_by_language),
            "decoy_survival_by_language": table(self.decoys_by_language),
            "identifiers": self.recall.total,
            "decoy_count": self.decoys.total,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def load_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_known(path: Path) -> KnownIdentifiers:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return KnownIdentifiers(
        known_from_organisations((r["name"], r.get("acronym"), r.get("email")) for r in rows)
    )


def score(corpus: list[dict], known: KnownIdentifiers) -> Score:
    result = Score()
    for entry in corpus:
        lang = entry.get("lang", "?")
        output = redact(entry["text"], known)
        for identifier in entry.get("identifiers", []):
            gone = identifier["text"] not in output
            result.recall.add(gone)
            result.by_kind[identifier["kind"]].add(gone)
            result.by_language[lang].add(gone)
            if identifier["kind"] == "person":
                result.person_by_language[lang].add(gone)
            if not gone:
                result.misses.append({"id": entry.get("id"), **identifier})
        for decoy in entry.get("decoys", []):
            kept = decoy in output
            result.decoys.add(kept)
            result.decoys_by_language[lang].add(kept)
            if not kept:
                result.lost_decoys.append({"id": entry.get("id"), "text": decoy})
    return result


def below_floors(result: Score) -> list[str]:
    """A sentence for each floor the result misses (empty when all are met)."""
    failures = []
    for kind in ("email", "phone", "url", "handle", "organisation"):
        rate = result.by_kind[kind].rate if kind in result.by_kind else None
        if rate is not None and rate < FLOORS[kind]:
            failures.append(f"{kind} recall {rate:.2f} < {FLOORS[kind]}")
    for lang, tally in sorted(result.person_by_language.items()):
        if tally.rate is not None and tally.rate < FLOORS["person_per_language"]:
            failures.append(
                f"person recall in {lang} {tally.rate:.2f} < {FLOORS['person_per_language']}"
            )
    if result.decoys.rate is not None and result.decoys.rate < FLOORS["decoys"]:
        failures.append(f"decoy survival {result.decoys.rate:.2f} < {FLOORS['decoys']}")
    return failures


def _fmt(rate: float | None) -> str:
    return "   -" if rate is None else f"{rate:.2f}"


def render(result: Score, verbose: bool = False) -> str:
    lines = ["kind          found/total  recall"]
    for kind, tally in sorted(result.by_kind.items()):
        lines.append(f"{kind:<13} {tally.hit:>5}/{tally.total:<5}  {_fmt(tally.rate)}")
    lines.append("")
    lines.append("language  recall  person recall  decoy survival")
    for lang in sorted(set(result.by_language) | set(result.decoys_by_language)):
        lines.append(
            f"{lang:<9} {_fmt(result.by_language[lang].rate):>6}  "
            f"{_fmt(result.person_by_language[lang].rate):>13}  "
            f"{_fmt(result.decoys_by_language[lang].rate):>14}"
        )
    if verbose:
        lines.append("")
        lines.extend(f"missed  {m['id']} {m['kind']}: {m['text']!r}" for m in result.misses)
        lines.extend(f"lost    {d['id']} decoy: {d['text']!r}" for d in result.lost_decoys)
    lines.append("")
    lines.append(f"recall {_fmt(result.recall.rate)} decoys {_fmt(result.decoys.rate)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY)
    parser.add_argument("--json", action="store_true", help="write the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="list misses and lost decoys")
    args = parser.parse_args(argv)
    for path in (args.corpus, args.registry):
        if not path.is_file():
            print(f"No such file: {path}", file=sys.stderr)
            return 2
    result = score(load_corpus(args.corpus), load_known(args.registry))
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(render(result, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
