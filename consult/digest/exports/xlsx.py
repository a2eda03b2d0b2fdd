"""The XLSX workbook (openpyxl write-only mode): Inputs, Recommendations, Matrix, Themes, Types.

Write-only mode keeps memory flat; the workbook is written to a temporary
file, which is then streamed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from consult.digest.contents import RECOMMENDATION_COLUMNS
from consult.digest.exports import safe_cell
from consult.digest.exports.csv import input_row

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from consult.digest.contents import Digest

PLATFORM = "consult"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="003399")
WRAP = Alignment(wrap_text=True, vertical="top")
CHUNK = 64 * 1024

INPUT_WIDTHS = {
    "reference": 38,
    "title": 40,
    "body": 80,
    "moderator_summary": 50,
    "attribution": 36,
    "countries": 24,
    "priority_name": 30,
    "consultation": 30,
    "themes": 30,
}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet(wb: Workbook, title: str, headers: list[str], widths: list[float]) -> WriteOnlyWorksheet:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=_clean(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    return ws


def _row(ws: WriteOnlyWorksheet, values: list[Any], wrap: bool = False) -> list[Any]:
    if not wrap:
        return [_clean(v) for v in values]
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=_clean(value))
        cell.alignment = WRAP
        cells.append(cell)
    return cells


def _build(digest: Digest, path: str) -> None:
    wb = Workbook(write_only=True)
    wb.properties.creator = PLATFORM
    wb.properties.lastModifiedBy = PLATFORM
    wb.properties.title = "consult digest"
    columns = digest.columns
    inputs = _sheet(wb, "Inputs", list(columns), [INPUT_WIDTHS.get(c, 16) for c in columns])
    recs = _sheet(wb, "Recommendations", list(RECOMMENDATION_COLUMNS), [38, 30, 24, 36, 26, 80])
    matrix = digest.matrix()
    matrix_headers = ["Priority", *[name for _code, name in matrix.countries], "Total inputs"]
    matrix_ws = _sheet(wb, "Matrix", matrix_headers, [50, *[14] * len(matrix.countries), 14])

    for batch in digest.batches():
        for item in batch:
            inputs.append(_row(inputs, input_row(item, columns), wrap=True))
            for row in item.recommendation_rows():
                recs.append(_row(recs, row, wrap=True))
    for row in matrix.rows:
        matrix_ws.append(
            [
                _clean(row.name),
                *[c.count if c.count is not None else c.text for c in row.cells],
                row.total if row.total is not None else row.total_text,
            ]
        )
    legend = matrix.legend()
    if legend:
        matrix_ws.append([])
        for note in legend:
            matrix_ws.append([_clean(note)])
    tables = digest.linked_tables()
    _linked_sheet(wb, "Themes", digest.theme_counts(), tables["theme"], digest)
    _linked_sheet(wb, "Types", digest.type_counts(), tables["type"], digest)
    wb.save(path)


def _linked_sheet(
    wb: Workbook,
    title: str,
    totals: list[tuple[str, str, int]],
    rows: dict[str, dict[str, int]],
    digest: Digest,
) -> None:
    """A linked table: one row per priority, one column per type or theme, and the totals."""
    ws = _sheet(
        wb, title, ["Priority", *[name for _s, name, _n in totals]], [50] + [14] * len(totals)
    )
    for slug, name in digest.reference.priorities.items():
        if slug in rows:
            ws.append([_clean(name), *[rows[slug].get(s, 0) for s, _name, _n in totals]])
    ws.append(["All priorities", *[n for _s, _name, n in totals]])


def workbook(digest: Digest) -> Iterator[bytes]:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        _build(digest, handle.name)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk
