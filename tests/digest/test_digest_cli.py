"""``flask digest``: files for scheduled jobs, one-line errors, audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db


@pytest.fixture
def data(app, make_digest_data, publish):
    """The test data, with its consultation's first external release published."""
    data = make_digest_data()
    publish()
    return data


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "docx", "html"])
def test_writes_each_format(data, runner, tmp_path, fmt):
    out = tmp_path / f"digest.{fmt}"
    result = runner.invoke(args=["digest", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 inputs" in result.output
    assert out.stat().st_size > 100


def test_filters_are_the_page_filters(data, runner, tmp_path):
    out = tmp_path / "digest.json"
    result = runner.invoke(
        args=[
            "digest", "--format", "json", "--out", str(out), "--consultation", "enp-2026",
            "--priority", "ssr", "--country", "tn", "--type", "context-analysis",
            "--theme", "youth", "--since", "2026-01-01", "--until", "2026-12-31",
            "--audience", "internal",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert [i["title"] for i in document["inputs"]] == ["Community forums in Kasserine"]
    assert document["filters"]["country"] == "TN"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "digest.downloaded")
    ).one()
    assert event.actor_id is None
    assert event.detail["via"] == "cli" and event.detail["count"] == 1
    assert event.detail["filters"]["audience"] == "internal"


@pytest.mark.parametrize(
    ("option", "value", "names"),
    [
        ("--format", "pdf", "csv, xlsx, json, docx, html"),
        ("--priority", "defence", "ssr, terrorism, organised-crime"),
        ("--country", "FR", "AM, AZ, BY"),
        ("--type", "essay", "context-analysis, recommendation"),
        ("--theme", "sports", "gender, youth"),
        ("--audience", "public", "external, internal"),
        ("--consultation", "nope", "enp-2025, enp-2026"),
        ("--since", "31/01/2026", "YYYY-MM-DD"),
    ],
)
def test_bad_value_is_a_one_line_error_naming_valid_values(
    data, runner, tmp_path, option, value, names
):
    args = ["digest", "--format", "csv", "--out", str(tmp_path / "x.csv"), option, value]
    if option == "--format":
        args = ["digest", "--out", str(tmp_path / "x.csv"), "--format", value]
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("Error: ") and names in lines[0]
    assert not (tmp_path / "x.csv").exists()
    downloads = select(AuditEvent).where(AuditEvent.action == "digest.downloaded")
    assert db.session.scalars(downloads).all() == []


def test_writes_to_standard_output(data, runner):
    result = runner.invoke(args=["digest", "--format", "csv", "--out", "-", "--priority", "ssr"])
    assert result.exit_code == 0
    assert "Oversight by parliament" in result.output
    assert "Kasserine" not in result.output  # the release places the input in a region
