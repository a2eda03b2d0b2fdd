"""Internal digests (EU staff only): free filters, exact counts, every forwarded input.

Counts come from SQL ``GROUP BY`` (``query.aggregate``); inputs are read in
keyset batches. Organisations that chose to be named are named; every other
input says "a CSO working in" its countries. Nothing is suppressed or
redacted: an internal digest must not leave the EU institutions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from consult.dates import plain_when
from consult.digest.consultation_info import ConsultationInfo
from consult.digest.contents import (
    INTERNAL_COLUMNS,
    Digest,
    DigestInput,
    DigestTexts,
    PriorityCount,
    Totals,
)
from consult.digest.filters import DigestFilters
from consult.digest.labels import country_names, join_names, working_in
from consult.digest.matrix import Matrix, MatrixCell, MatrixRow, heat_class, order_countries
from consult.digest.query import Aggregates, InputRow, Reference, aggregate, iter_batches
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.inputs.states import Attribution
from consult.timeutil import utcnow


@dataclass
class InternalDigest(Digest):
    filters: DigestFilters
    generated_at: datetime
    reference: Reference
    aggregates: Aggregates
    consultation: ConsultationInfo | None
    k: int
    standalone: bool = False
    query: dict[str, str] = field(default_factory=dict)
    _place_names: dict[tuple[str, ...], tuple[str, str, str]] = field(
        default_factory=dict, repr=False
    )

    audience = "internal"
    columns = INTERNAL_COLUMNS
    release = None

    @property
    def audience_label(self) -> str:
        return _("Internal: EU staff only")

    # -- counts ------------------------------------------------------------------
    def totals(self) -> Totals:
        agg = self.aggregates
        return Totals(agg.inputs, agg.organisations, agg.countries, agg.recommendations)

    def matrix(self) -> Matrix:
        ref = self.reference
        cells = self.aggregates.cells
        codes = order_countries({code for _p, code in cells}, ref)
        highest = max((cell.inputs for cell in cells.values()), default=0)
        rows = []
        for slug, name in ref.priorities.items():
            if self.filters.priority and slug != self.filters.priority:
                continue
            row_cells = []
            for code in codes:
                cell = cells.get((slug, code))
                count = cell.inputs if cell else 0
                row_cells.append(
                    MatrixCell(
                        count,
                        cell.organisations if cell else 0,
                        heat_class(count, highest),
                        str(count),
                    )
                )
            total = self.aggregates.by_priority.get(slug)
            rows.append(MatrixRow(slug, name, row_cells, total.inputs if total else 0))
        countries = [(code, ref.countries.get(code, (code, ""))[0]) for code in codes]
        return Matrix(countries, rows, self.k)

    def priority_counts(self) -> list[PriorityCount]:
        return [
            PriorityCount(slug, name, cell.inputs, cell.organisations)
            for slug, name in self.reference.priorities.items()
            if (cell := self.aggregates.by_priority.get(slug)) is not None
            and (not self.filters.priority or slug == self.filters.priority)
        ]

    def linked_tables(self) -> dict[str, dict[str, dict[str, int]]]:
        agg = self.aggregates
        return {"type": agg.by_type, "theme": agg.by_theme, "addressee": agg.by_addressee}

    def filter_description(self) -> list[tuple[str, str]]:
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
            items.append((_("Forwarded on or after"), plain_when(f.since)))
        if f.until:
            items.append((_("Forwarded on or before"), plain_when(f.until)))
        items.append((_("Audience"), self.audience_label))
        return items

    def texts(self) -> DigestTexts:
        totals = self.totals()
        summary = _(
            "This report is a summary of the %(inputs)d inputs forwarded to headquarters "
            "from %(orgs)d organisations about %(countries)d countries that match the filters "
            "listed below.",
            inputs=totals.inputs,
            orgs=totals.organisations,
            countries=totals.countries,
        )
        return DigestTexts(
            summary=summary,
            overview_notes=[],
            method=[
                _(
                    "This is an internal digest for EU staff: it includes inputs marked "
                    "\u201cEU staff only\u201d and must not leave the EU institutions."
                )
            ],
            countries_label=_("Countries"),
        )

    # -- inputs ------------------------------------------------------------------
    def _places(self, codes: list[str]) -> tuple[str, str, str]:
        """The countries' names joined, the first (or "Other") and "a CSO working in …".

        Worked out once per combination of countries: a few hundred at most,
        where a digest has up to a million inputs (bench B4).
        """
        key = tuple(codes)
        places = self._place_names.get(key)
        if places is None:
            names = country_names(self.reference, codes)
            places = (
                join_names(names),
                names[0] if names else _("Other"),
                working_in(self.reference, codes),
            )
            self._place_names[key] = places
        return places

    def present(self, row: InputRow) -> DigestInput:
        ref = self.reference
        priority = row.priority_slug or ""
        named = row.attribution == Attribution.ATTRIBUTABLE
        countries, group_place, anonymous = self._places(row.country_codes)
        return DigestInput(
            ref=str(row.id),
            consultation=row.consultation,
            priority_slug=priority,
            priority=ref.priorities.get(priority, priority),
            countries=countries,
            group_place=group_place,
            level=ref.levels.get(row.level_slug or "", ""),
            type_slug=row.type_slug or "",
            type=ref.types.get(row.type_slug or "", ""),
            themes=[ref.themes.get(t, t) for t in row.theme_slugs],
            title=row.title or "",
            body=row.body or "",
            summary=row.summary or "",
            attribution=row.organisation_name if named else anonymous,
            forwarded=row.forwarded_at.strftime("%Y-%m-%d") if row.forwarded_at else "",
            recommendations=[
                (slug, ref.addressees.get(slug, slug), text) for slug, text in row.recommendations
            ],
            eu_only=row.attribution == Attribution.EU_ONLY,
            status=row.status,
        )

    def batches(self) -> Iterator[list[DigestInput]]:
        for rows in iter_batches(self.filters, list(self.reference.priorities)):
            yield [self.present(row) for row in rows]


def build_internal(filters: DigestFilters) -> InternalDigest:
    """Count what the filters cover (no input is read yet)."""
    consultation = None
    if filters.consultation:
        found = db.session.scalar(
            select(Consultation).where(Consultation.slug == filters.consultation)
        )
        consultation = ConsultationInfo.of(found) if found is not None else None
    return InternalDigest(
        filters=filters,
        generated_at=utcnow().replace(microsecond=0),
        reference=Reference.load(),
        aggregates=aggregate(filters),
        consultation=consultation,
        k=int(current_app.config.get("DIGEST_MIN_GROUP_SIZE", 3)),
        query=filters.as_dict(),
    )
