"""What a moderator redacted in the versions a CSO revised, carried to the new version.

A resubmitted revision is reviewed afresh (its reviewed text starts from the
CSO's new text), so a name, email or phone number redacted before can come back.
Each kept revision snapshot holds the CSO's text and the reviewed text: the
passages replaced by ``[redacted]`` are read off by aligning the two. While one
of them appears in the new text the input cannot be forwarded, and the review
page shows them, ready to be redacted again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from consult.identifiers import REDACTED
from consult.inputs.models import Input


def redacted_passages(original: str | None, reviewed: str | None) -> list[str]:
    """The passages of ``original`` that ``reviewed`` replaced by ``[redacted]``.

    The reviewed text is the original with some passages replaced: the pieces
    between the marks are found in the original, in order, and what lies
    between them was redacted. Where the reviewer also rewrote the text around
    a mark the pieces no longer align, and nothing is guessed from there on.
    """
    if not original or not reviewed or REDACTED not in reviewed:
        return []
    pieces = reviewed.split(REDACTED)
    head, tail = pieces[0], pieces[-1]
    if len(head) + len(tail) > len(original):
        return []
    if not original.startswith(head) or not original.endswith(tail):
        return []
    region = original[len(head) : len(original) - len(tail)]
    passages: list[str] = []
    cursor = 0
    for piece in pieces[1:-1]:
        if not piece:
            continue  # two marks side by side read as one passage
        found = region.find(piece, cursor + 1)
        if found == -1:
            return passages
        passages.append(region[cursor:found])
        cursor = found + len(piece)
    passages.append(region[cursor:])
    return [p.strip() for p in passages if p.strip()]


def _snapshot_texts(snapshot: dict[str, Any]) -> Iterator[tuple[str | None, str | None]]:
    yield snapshot.get("title"), snapshot.get("reviewed_title")
    yield snapshot.get("body"), snapshot.get("reviewed_body")
    for rec in snapshot.get("recommendations") or []:
        yield rec.get("text"), rec.get("reviewed_text")


def earlier_redactions(item: Input) -> list[str]:
    """Every passage redacted in an earlier version of ``item``, once each, in order."""
    found: dict[str, None] = {}
    for revision in sorted(item.revisions, key=lambda r: r.number):
        if revision.number >= item.revision:
            continue  # the current version's own snapshot (made early) is not earlier
        for original, reviewed in _snapshot_texts(revision.snapshot or {}):
            for passage in redacted_passages(original, reviewed):
                found.setdefault(passage, None)
    return list(found)


def reappearing(item: Input, passages: list[str] | None = None) -> list[str]:
    """The earlier redacted passages that the current reviewed text contains again."""
    passages = earlier_redactions(item) if passages is None else passages
    texts = [item.effective_title, item.effective_body] + [
        rec.effective_text for rec in item.recommendations
    ]
    return [p for p in passages if any(p in (text or "") for text in texts)]
