"""CSV downloads, streamed batch by batch: inputs, or recommendations with their addressees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from consult.digest.exports import safe_cell

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput

INPUT_COLUMNS = [
    "reference",
    "consultation",
    "priority",
    "countries",
    "level",
    "type",
    "themes",
    "title",
    "reviewed_body",
    "moderator_summary",
    "attribution",
    "forwarded",
]
RECOMMENDATION_COLUMNS = [
    "reference",
    "priority",
    "countries",
    "attribution",
    "addressee",
    "recommendation",
]


def input_columns(digest: Digest) -> list[str]:
    if digest.filters.external:
        return INPUT_COLUMNS
    return [*INPUT_COLUMNS, "eu_staff_only"]


def input_values(item: DigestInput, internal: bool) -> list[str]:
    values = [
        item.ref,
        item.consultation,
        item.priority,
        item.countries,
        item.level,
        item.type,
        "; ".join(item.themes),
        item.title,
        item.body,
        item.summary,
        item.attribution,
        item.forwarded,
    ]
    if internal:
        values.append("yes" if item.eu_only else "no")
    return values


def recommendation_rows(item: DigestInput) -> Iterator[list[str]]:
    for _slug, addressee, text in item.recommendations:
        yield [item.ref, item.priority, item.countries, item.attribution, addressee, text]


def _encode(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def inputs_csv(digest: Digest) -> Iterator[bytes]:
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode() + _encode([input_columns(digest)])
    internal = not digest.filters.external
    for batch in digest.batches():
        yield _encode([input_values(item, internal) for item in batch])


def recommendations_csv(digest: Digest) -> Iterator[bytes]:
    yield "\ufeff".encode() + _encode([RECOMMENDATION_COLUMNS])
    for batch in digest.batches():
        yield _encode([row for item in batch for row in recommendation_rows(item)])
