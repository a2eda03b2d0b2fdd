"""The detector scored on annotated corpora, as `make eval-identifiers` does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from consult.identifiers import scoring

DATA = scoring.DATA
CORPORA = [
    ("identifiers-dev.jsonl", "registered-organisations.json"),
    # Written separately, same shape: guards against rules tuned to single lines.
    ("identifiers-holdout.jsonl", "registered-organisations-holdout.json"),
]


@pytest.mark.parametrize("corpus, registry", CORPORA)
def test_corpus_meets_the_floors(corpus, registry):
    result = scoring.score(scoring.load_corpus(DATA / corpus), scoring.load_known(DATA / registry))
    assert scoring.below_floors(result) == []
    assert result.recall.total > 0 and result.decoys.total > 0
    for kind in ("email", "phone", "url", "handle", "organisation", "person"):
        assert result.by_kind[kind].total > 0


def test_floors_fail_a_detector_that_redacts_everything(monkeypatch):
    monkeypatch.setattr(scoring, "redact", lambda text, known: "[redacted]")
    result = scoring.score(
        scoring.load_corpus(DATA / CORPORA[0][0]), scoring.load_known(DATA / CORPORA[0][1])
    )
    assert result.recall.rate == 1.0
    assert any("decoy survival" in failure for failure in scoring.below_floors(result))


def run_scorer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "consult.identifiers.scoring", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_scorer_prints_kinds_languages_and_the_overall_line_last():
    done = run_scorer()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1].startswith("recall ") and " decoys " in lines[-1]
    recall, decoys = float(lines[-1].split()[1]), float(lines[-1].split()[3])
    assert recall >= 0.95 and decoys >= 0.90
    for label in ("person", "organisation", "phone", "ar ", "uk "):
        assert any(line.startswith(label) for line in lines)


def test_scorer_takes_any_corpus_and_registry_and_writes_json(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "id": "x-1",
                "lang": "en",
                "text": "Mail info@forum.example.org about Kasserine and the Mini Forum.",
                "identifiers": [
                    {"text": "info@forum.example.org", "kind": "email"},
                    {"text": "Mini Forum", "kind": "organisation"},
                ],
                "decoys": ["Kasserine"],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    registry = tmp_path / "registry.json"
    registry.write_text(
        json.dumps([{"name": "Mini Forum", "acronym": None, "email": None, "country": "TN"}])
    )
    done = run_scorer("--corpus", str(corpus), "--registry", str(registry), "--json")
    figures = json.loads(done.stdout)
    assert figures["recall"] == 1.0 and figures["decoys"] == 1.0
    assert figures["recall_by_kind"]["email"] == {"hit": 1, "total": 1, "rate": 1.0}
    assert figures["decoy_survival_by_language"]["en"]["total"] == 1


def test_scorer_names_a_missing_file():
    done = run_scorer("--corpus", "/nonexistent/corpus.jsonl")
    assert done.returncode == 2
    assert "No such file: /nonexistent/corpus.jsonl" in done.stderr
