"""Redacting identifiers and passages from the reviewed text (the original stays sealed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _

from consult.audit.services import record
from consult.identifiers import Finding, find_identifiers, known_identifiers, redact_spans
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.review.conflicts import check_version, save_input
from consult.review.rules import (
    ReviewError,
    require_not_held_by_other,
    require_open,
    require_reviewer,
)
from consult.review.timeline import record_work


def redact_passages(text: str, passages: Iterable[str]) -> tuple[str, int]:
    """``text`` with every occurrence of each passage replaced by ``[redacted]``."""
    spans: list[tuple[int, int]] = []
    for passage in passages:
        passage = passage.strip()
        if not passage:
            continue
        start = text.find(passage)
        while start != -1:
            spans.append((start, start + len(passage)))
            start = text.find(passage, start + len(passage))
    if not spans:
        return text, 0
    return redact_spans(text, spans), len(spans)


def identifier_findings(
    item: Input, known: Sequence[str] | None = None
) -> dict[str, list[Finding]]:
    """What looks like an identifier in the reviewed text, per field.

    Fields are ``title``, ``body`` and ``rec-<id>`` for each recommendation.
    """
    known = known_identifiers() if known is None else known
    found = {
        "title": find_identifiers(item.effective_title, known),
        "body": find_identifiers(item.effective_body, known),
    }
    for rec in item.recommendations:
        found[f"rec-{rec.id}"] = find_identifiers(rec.effective_text, known)
    return found


def redact_identifiers(
    user: Any, item: Input, selections: Iterable[str], *, version: int | str | None
) -> int:
    """Redact the identifiers the reviewer confirmed; return how many.

    ``selections`` are ``"<field>:<start>:<end>"`` strings from the review
    page's checkboxes; only spans that are still findings in the current
    text are applied (the version check makes sure the text did not move).
    """
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    require_not_held_by_other(user, item)
    findings = identifier_findings(item)
    wanted: dict[str, list[tuple[int, int]]] = {}
    for value in selections:
        try:
            name, start, end = value.rsplit(":", 2)
            span = (int(start), int(end))
        except ValueError:
            continue
        if any((f.start, f.end) == span for f in findings.get(name, [])):
            wanted.setdefault(name, []).append(span)
    if not wanted:
        raise ReviewError(_("Tick at least one identifier to redact."))
    count = sum(len(spans) for spans in wanted.values())
    fields = sorted(wanted)
    record_work(item, user, EventKind.REDACTED, count=count, fields=fields)
    if "title" in wanted:
        title = redact_spans(item.effective_title, wanted["title"])
        item.reviewed_title = title if title != item.title else None
    if "body" in wanted:
        body = redact_spans(item.effective_body, wanted["body"])
        item.reviewed_body = body if body != item.body else None
    for rec in item.recommendations:
        spans = wanted.get(f"rec-{rec.id}")
        if spans:
            rec.reviewed_text = redact_spans(rec.effective_text, spans)
    save_input(item)
    record("input.redacted", user, item, count=count, fields=fields)
    return count
