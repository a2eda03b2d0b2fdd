"""HQ digests: what they contain, and generating a download in any format.

``render_digest(fmt, filters, actor)`` is the one entry point of the views,
the CLI and the API: it counts in SQL, records the download in the audit
log and returns a :class:`DigestFile` whose ``chunks`` stream the file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from consult.audit.services import record
from consult.digest.anonymise import Anonymiser
from consult.digest.filters import (
    AUDIENCES,
    FILTER_NAMES,
    DigestFilters,
    FilterError,
    parse_filters,
    valid_values,
)
from consult.digest.query import Aggregates, InputRow, Reference, aggregate, iter_batches
from consult.extensions import db
from consult.identifiers import known_identifiers
from consult.submissions.models import Consultation, consultation_countries
from consult.submissions.states import Attribution
from consult.timeutil import utcnow

__all__ = [
    "AUDIENCES",
    "FILTER_NAMES",
    "FORMATS",
    "Digest",
    "DigestFile",
    "DigestFilters",
    "FilterError",
    "build_digest",
    "parse_filters",
    "render_digest",
    "valid_values",
]

FORMATS = ("csv", "xlsx", "json", "docx", "html")
PARTS = ("inputs", "recommendations")


@dataclass
class DigestFile:
    """A generated digest: ``chunks`` yields the bytes (read it once)."""

    chunks: Iterable[bytes]
    mimetype: str
    filename: str
    count: int


@dataclass
class DigestInput:
    """One input as a digest presents it: anonymised, redacted, with names not slugs."""

    ref: str
    consultation: str
    priority_slug: str
    priority: str
    countries: str
    group_place: str
    level: str
    type_slug: str
    type: str
    themes: list[str]
    title: str
    body: str
    summary: str
    attribution: str
    eu_only: bool
    status: str
    forwarded: str
    recommendations: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class GuidingQuestionInfo:
    priority_slug: str
    text: str


@dataclass(frozen=True)
class ConsultationInfo:
    """What a report says about its consultation, copied out of the database.

    Downloads stream after the request's database session has ended, so the
    report must not lazy-load from an ORM object then.
    """

    slug: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    questions: tuple[GuidingQuestionInfo, ...] = ()

    @classmethod
    def of(cls, consultation: Consultation) -> ConsultationInfo:
        return cls(
            slug=consultation.slug,
            title=consultation.title,
            description=consultation.description or "",
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            questions=tuple(
                GuidingQuestionInfo(q.priority_slug, q.text) for q in consultation.questions
            ),
        )


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
    external: bool

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


@dataclass
class Digest:
    filters: DigestFilters
    generated_at: datetime
    reference: Reference
    aggregates: Aggregates
    anonymiser: Anonymiser
    consultation: ConsultationInfo | None
    k: int
    #: A report written to a file (CLI) embeds its stylesheet; a served page links it.
    standalone: bool = False
    #: Inputs left out of an external digest with a country filter: those of a priority
    #: whose cell of that country is small ("a CSO in the region" would still say the
    #: country). ``aggregates`` is counted without them, so no count includes them.
    withheld: int = 0
    #: The matrix's columns, in order: for an external digest every country of its
    #: scope (see :func:`matrix_columns`); None: the countries that have inputs.
    columns: tuple[str, ...] | None = None

    # -- counts ------------------------------------------------------------------
    def _withheld(self, priority: str | None) -> bool:
        return self.anonymiser.withholds(priority)

    @property
    def count(self) -> int:
        return self.aggregates.inputs

    @property
    def countries_count(self) -> int:
        """How many countries the digest is about, as far as it may say.

        External digests count only the countries they name: those with a
        visible cell. Counting the countries of suppressed cells too would let a
        reader compare the figure with the visible columns and find the country
        behind a masked cell.
        """
        if not self.filters.external:
            return self.aggregates.countries
        anon = self.anonymiser
        return len(
            {
                code
                for (priority, code), cell in self.aggregates.cells.items()
                if cell.inputs
                and not anon.is_suppressed(priority, code)
                and (self.columns is None or code in self.columns)
            }
        )

    @property
    def audience_label(self) -> str:
        if self.filters.external:
            return _("External: may be shared outside the EU institutions")
        return _("Internal: EU staff only")

    def matrix(self) -> Matrix:
        ref = self.reference
        agg = self.aggregates
        codes = self.columns
        if codes is None:
            codes = tuple(order_countries({code for _p, code in agg.cells}, ref))
        countries = [(code, ref.countries.get(code, (code, ""))[0]) for code in codes]
        anon = self.anonymiser
        shown = [
            cell.inputs
            for (priority, code), cell in agg.cells.items()
            if code in codes and not anon.is_suppressed(priority, code)
        ]
        highest = max(shown, default=0)
        rows = []
        for slug, name in ref.priorities.items():
            if self.filters.priority and slug != self.filters.priority:
                continue
            cells = [self._matrix_cell(slug, code, highest) for code in codes]
            total = agg.by_priority.get(slug)
            rows.append(
                MatrixRow(
                    slug,
                    name,
                    cells,
                    None if anon.total_hidden(slug) else (total.inputs if total else 0),
                )
            )
        return Matrix(countries, rows, self.k, self.filters.external)

    def _matrix_cell(self, priority: str, code: str, highest: int) -> MatrixCell:
        if self.anonymiser.reads_fewer(priority, code):
            # Small or masked empty: the same cell either way.
            return MatrixCell(None, 0, "heat-0 heat-suppressed", _("fewer than %(k)d", k=self.k))
        if self.anonymiser.is_hidden(priority, code):
            return MatrixCell(None, 0, "heat-0 heat-suppressed", _("hidden"), hidden=True)
        cell = self.aggregates.cells.get((priority, code))
        if cell is None:
            return MatrixCell(0, 0, "heat-0", "0")
        return MatrixCell(
            cell.inputs, cell.organisations, heat_class(cell.inputs, highest), str(cell.inputs)
        )

    def type_counts(self) -> list[tuple[str, str, int]]:
        return [
            (slug, name, self.aggregates.by_type.get(slug, 0))
            for slug, name in self.reference.types.items()
        ]

    def theme_counts(self) -> list[tuple[str, str, int]]:
        return [
            (slug, name, self.aggregates.by_theme.get(slug, 0))
            for slug, name in self.reference.themes.items()
        ]

    def addressee_counts(self) -> list[tuple[str, str, int]]:
        return [
            (slug, name, self.aggregates.by_addressee.get(slug, 0))
            for slug, name in self.reference.addressees.items()
        ]

    def filter_description(self) -> list[tuple[str, str]]:
        """The filters in words, for the report's background and the page."""
        f = self.filters
        ref = self.reference
        items: list[tuple[str, str]] = []
        if f.consultation:
            items.append((_("Consultation"), self.consultation.title if self.consultation else ""))
        if f.priority:
            items.append((_("Priority"), ref.priorities.get(f.priority, f.priority)))
        if f.country:
            items.append((_("Country"), ref.countries.get(f.country, (f.country, ""))[0]))
        if f.region:
            items.append((_("Region"), ref.regions.get(f.region, (f.region, ""))[0]))
        if f.type:
            items.append((_("Type"), ref.types.get(f.type, f.type)))
        if f.theme:
            items.append((_("Theme"), ref.themes.get(f.theme, f.theme)))
        if f.since:
            items.append((_("Forwarded on or after"), f.since.isoformat()))
        if f.until:
            items.append((_("Forwarded on or before"), f.until.isoformat()))
        items.append((_("Audience"), self.audience_label))
        return items

    # -- inputs ------------------------------------------------------------------
    def present(self, row: InputRow) -> DigestInput:
        anon = self.anonymiser
        ref = self.reference
        priority = row.priority_slug or ""
        forwarded = ""
        if row.forwarded_at is not None:
            # Externally the month is enough; the day would hint at the submission time.
            forwarded = row.forwarded_at.strftime("%Y-%m" if anon.external else "%Y-%m-%d")
        return DigestInput(
            ref=anon.ref(row.id),
            consultation=row.consultation,
            priority_slug=priority,
            priority=ref.priorities.get(priority, priority),
            countries=anon.place(row.priority_slug, row.country_codes),
            group_place=anon.group_place(row.priority_slug, row.country_codes),
            level=ref.levels.get(row.level_slug or "", ""),
            type_slug=row.type_slug or "",
            type=ref.types.get(row.type_slug or "", ""),
            themes=[ref.themes.get(t, t) for t in row.theme_slugs],
            title=anon.text(row.title),
            body=anon.text(row.body),
            summary=anon.text(row.summary),
            attribution=anon.label(
                row.attribution,
                row.organisation_id,
                row.organisation_name,
                row.priority_slug,
                row.country_codes,
            ),
            eu_only=row.attribution == Attribution.EU_ONLY,
            status=row.status,
            forwarded=forwarded,
            recommendations=[
                (slug, ref.addressees.get(slug, slug), anon.text(text))
                for slug, text in row.recommendations
            ],
        )

    def batches(self) -> Iterator[list[DigestInput]]:
        """The inputs, presented, in batches; the order reveals neither time nor sender."""
        for rows in iter_batches(self.filters, list(self.reference.priorities)):
            batch = [self.present(row) for row in rows if not self._withheld(row.priority_slug)]
            if batch:
                yield batch

    def inputs(self) -> Iterator[DigestInput]:
        for batch in self.batches():
            yield from batch


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


def build_digest(filters: DigestFilters) -> Digest:
    """Count what the filters cover and prepare the anonymiser (no input is read yet).

    An external digest is counted twice when it must leave out the inputs of
    some priorities (a country filter and a small cell): the matrix keeps the
    first count's cells, every other number comes from the second, so that
    the types, themes and totals cannot give the left-out cells by subtraction.
    """
    reference = Reference.load()
    aggregates = aggregate(filters)
    k = int(current_app.config.get("DIGEST_MIN_GROUP_SIZE", 3))
    columns = matrix_columns(filters, reference, aggregates) if filters.external else None
    anonymiser = Anonymiser(
        external=filters.external,
        k=k,
        reference=reference,
        aggregates=aggregates,
        known=known_identifiers() if filters.external else [],
        secret=str(current_app.config["SECRET_KEY"]).encode(),
        columns=columns or (),
        # The filter, or a scope of one country, names the country of every input.
        withhold_hidden_totals=bool(filters.country) or len(columns or ()) == 1,
    )
    published = aggregates
    left_out = anonymiser.withheld_priorities
    if left_out:
        published = replace(
            aggregate(filters, left_out),
            cells=aggregates.cells,
            # Kept whole: an organisation with a left-out non-attributable input stays unnamed.
            non_attributable_orgs=aggregates.non_attributable_orgs,
        )
    consultation = None
    if filters.consultation:
        found = db.session.scalar(
            select(Consultation).where(Consultation.slug == filters.consultation)
        )
        consultation = ConsultationInfo.of(found) if found is not None else None
    return Digest(
        filters=filters,
        generated_at=utcnow().replace(microsecond=0),
        reference=reference,
        aggregates=published,
        anonymiser=anonymiser,
        consultation=consultation,
        k=k,
        withheld=aggregates.inputs - published.inputs,
        columns=columns,
    )


def _exporter(fmt: str, part: str) -> tuple[Callable[[Digest], Iterable[bytes]], str, str]:
    """The writer, the media type and the file name's ending of a format."""
    if fmt == "csv":
        from consult.digest.exports import csv as csv_export

        if part == "recommendations":
            return csv_export.recommendations_csv, "text/csv; charset=utf-8", "-recommendations.csv"
        return csv_export.inputs_csv, "text/csv; charset=utf-8", "-inputs.csv"
    if fmt == "xlsx":
        from consult.digest.exports import xlsx

        return (
            xlsx.workbook,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        )
    if fmt == "json":
        from consult.digest.exports import json as json_export

        return json_export.document, "application/json", ".json"
    if fmt == "docx":
        from consult.digest.exports import docx

        return (
            docx.report,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "-report.docx",
        )
    from consult.digest.exports import html

    return html.report, "text/html; charset=utf-8", "-report.html"


def render_digest(
    fmt: str, filters: DigestFilters, actor: Any, *, part: str = "inputs", via: str = "web"
) -> DigestFile:
    """Generate a digest in ``fmt`` and record the download in the audit log.

    The caller commits (the audit row) before streaming ``chunks``.
    """
    if fmt not in FORMATS:
        raise FilterError(f"Unknown format {fmt!r}; valid values: {', '.join(FORMATS)}.", "format")
    if part not in PARTS:
        raise FilterError(f"Unknown part {part!r}; valid values: {', '.join(PARTS)}.", "part")
    if part != "inputs" and fmt != "csv":
        raise FilterError("Only the CSV format has a separate recommendations part.", "part")
    digest = build_digest(filters)
    digest.standalone = via == "cli"
    write, mimetype, suffix = _exporter(fmt, part)
    stamp = digest.generated_at.strftime("%Y%m%d-%H%M")
    filename = f"consult-digest-{filters.audience}-{stamp}{suffix}"
    record(
        "digest.downloaded",
        actor,
        object_type="digest",
        format=fmt,
        part=part,
        audience=filters.audience,
        filters=filters.as_dict(),
        count=digest.count,
        via=via,
    )
    db.session.flush()
    return DigestFile(
        chunks=write(digest), mimetype=mimetype, filename=filename, count=digest.count
    )
