"""CSV downloads, streamed batch by batch: inputs, or recommendations with their addressees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from consult.digest.contents import RECOMMENDATION_COLUMNS
from consult.digest.exports import FORMULA_PREFIXES, safe_cell

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput


def flat(value: Any) -> str:
    """A value as one spreadsheet cell: lists joined, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def input_row(item: DigestInput, columns: tuple[str, ...]) -> list[str]:
    values = item.values()
    return [flat(values[column]) for column in columns]


def _cell(value: Any) -> str:
    """:func:`flat` then :func:`safe_cell` in one call: most values are already text."""
    if value.__class__ is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return safe_cell(flat(value))


def _encode(rows: list[list[str]], *, safe: bool = False) -> bytes:
    """CSV lines of ``rows``; ``safe``: the cells are already :func:`safe_cell`'d."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows if safe else [[safe_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def inputs_csv(digest: Digest) -> Iterator[bytes]:
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    yield "\ufeff".encode() + _encode([list(digest.columns)])
    columns = digest.columns
    for batch in digest.batches():
        rows = []
        for item in batch:
            values = item.values()
            rows.append([_cell(values[column]) for column in columns])
        yield _encode(rows, safe=True)


def recommendations_csv(digest: Digest) -> Iterator[bytes]:
    yield "\ufeff".encode() + _encode([list(RECOMMENDATION_COLUMNS)])
    for batch in digest.batches():
        yield _encode([row for item in batch for row in item.recommendation_rows()])
