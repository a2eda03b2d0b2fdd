"""The matrix of a digest: its cells and rows, and the countries that head its columns.

:class:`Matrix` is what every format draws (priorities down, countries
across); :func:`matrix_columns` fixes the columns of an external digest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from consult.digest.filters import DigestFilters
from consult.digest.query import Aggregates, Reference
from consult.extensions import db
from consult.inputs.models import Consultation, consultation_countries


@dataclass
class MatrixCell:
    """A cell as every format shows it.

    A masked empty cell and a small cell are built alike ("fewer than k"):
    nothing here, and so nothing in any format, tells them apart.
    """

    count: int | None  # None when suppressed
    organisations: int
    heat: str
    text: str
    #: Hidden to protect a small cell (secondary suppression): it may hold any number.
    hidden: bool = False

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def small(self) -> bool:
        """Reads "fewer than k": fewer than k organisations, perhaps none."""
        return self.suppressed and not self.hidden


@dataclass
class MatrixRow:
    slug: str
    name: str
    cells: list[MatrixCell]
    total: int | None  # None when hidden

    @property
    def total_hidden(self) -> bool:
        return self.total is None

    @property
    def total_text(self) -> str:
        return _("hidden") if self.total is None else str(self.total)


#: Above this many countries a matrix is compact: its tables head their columns with
#: ISO codes and write "<k" for "fewer than k", and its chart names columns by code.
NAMED_COLUMNS_MAX = 8


@dataclass
class Matrix:
    countries: list[tuple[str, str]]
    rows: list[MatrixRow]
    k: int

    @property
    def compact(self) -> bool:
        """Whether the matrix is too wide for words in its cells (16 countries fit)."""
        return len(self.countries) > NAMED_COLUMNS_MAX

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row.cells)

    @property
    def has_small(self) -> bool:
        return any(cell.small for row in self.rows for cell in row.cells)

    @property
    def has_hidden(self) -> bool:
        """Whether a cell or a total is hidden to protect a small cell."""
        return any(row.total_hidden or any(c.hidden for c in row.cells) for row in self.rows)

    def legend(self) -> list[str]:
        """What the suppressed cells and totals mean, one sentence each (no colour needed)."""
        notes = []
        if self.has_small and self.compact:
            notes.append(
                _(
                    "\u201c<%(k)d\u201d, fewer than %(k)d: fewer than %(k)d organisations, "
                    "perhaps none, stand behind the cell; its inputs are reported at region level.",
                    k=self.k,
                )
            )
        elif self.has_small:
            notes.append(
                _(
                    "\u201cFewer than %(k)d\u201d: fewer than %(k)d organisations, perhaps none, "
                    "stand behind the cell; its inputs are reported at region level.",
                    k=self.k,
                )
            )
        if any(c.hidden for row in self.rows for c in row.cells):
            notes.append(
                _(
                    "\u201cHidden\u201d: the number is hidden so that a small group cannot be "
                    "worked out from the totals and the other cells; it may be any number, "
                    "and its inputs are reported at region level too."
                )
            )
        if any(row.total_hidden for row in self.rows):
            notes.append(
                _(
                    "A hidden total: all inputs of that priority come from one small group "
                    "in a single country, so the total would give its number."
                )
            )
        return notes

    @property
    def empty(self) -> bool:
        """Whether no cell holds or may hold an input (nothing to draw)."""
        return all(cell.count == 0 for row in self.rows for cell in row.cells)

    def short_text(self, cell: MatrixCell) -> str:
        """A cell's text where space is short (compact tables, charts)."""
        if cell.small:
            return f"<{self.k}"
        return cell.text


def heat_class(count: int, highest: int) -> str:
    """heat-0 .. heat-4 by the share of the highest count."""
    if count <= 0 or highest <= 0:
        return "heat-0"
    return f"heat-{min(4, max(1, math.ceil(4 * count / highest)))}"


def order_countries(codes: Iterable[str], reference: Reference) -> list[str]:
    """Country codes by region (in the regions' order), then by name."""
    regions = list(reference.regions)

    def key(code: str) -> tuple[int, str]:
        name, region = reference.countries.get(code, (code, ""))
        return (regions.index(region) if region in regions else len(regions), name)

    return sorted(codes, key=key)


def matrix_columns(
    filters: DigestFilters, reference: Reference, aggregates: Aggregates
) -> tuple[str, ...]:
    """The columns of an external matrix: every country of the digest's scope.

    They must not depend on the inputs, or a column that exists because of one
    small cell would name its country. The scope is the consultation's
    countries with a consultation filter, else every reference country (the
    union of the consultations' scopes would still depend on which of them
    have inputs), narrowed by the country or region filter. A consultation
    whose scope was narrowed after inputs about a removed country were sent
    falls back to every reference country, so that no count is dropped.
    """

    def narrowed(codes: Iterable[str]) -> set[str]:
        return {
            code
            for code in codes
            if code in reference.countries
            and (not filters.region or reference.countries[code][1] == filters.region)
            and (not filters.country or code == filters.country)
        }

    everywhere = narrowed(reference.countries)
    codes = everywhere
    if filters.consultation:
        scope = db.session.scalars(
            select(consultation_countries.c.country_code)
            .join(Consultation, Consultation.id == consultation_countries.c.consultation_id)
            .where(Consultation.slug == filters.consultation)
        ).all()
        if scope:
            codes = narrowed(scope)
            if any(code in everywhere and code not in codes for _p, code in aggregates.cells):
                codes = everywhere
    return tuple(order_countries(codes, reference))
