"""What a digest contains: the :class:`Digest` with its counts and matrix, and its inputs.

A :class:`Digest` counts, describes its filters and builds its
:class:`~consult.digest.matrix.Matrix`; it reads the inputs in batches and
presents each one as a :class:`DigestInput` (anonymised, redacted, with
names not slugs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from consult.digest.anonymise import Anonymiser
from consult.digest.consultation_info import ConsultationInfo
from consult.digest.filters import DigestFilters
from consult.digest.matrix import Matrix, MatrixCell, MatrixRow, heat_class, order_countries
from consult.digest.query import Aggregates, InputRow, Reference, iter_batches
from consult.inputs.states import Attribution


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
