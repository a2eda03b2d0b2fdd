"""External digests: projections of a published release.

A filter only *selects* what the release already shows: a priority selects
its row and its inputs; a region selects its countries' columns and the
inputs placed in it; a country selects its column and the inputs placed in
it (a country the release names). Nothing is counted again, so every
number, label, place and reference in a filtered file is the same in the
release's full file. A filter that would need a new count (a theme, a type,
a date) is refused with the filters that are allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from consult.digest.consultation_info import ConsultationInfo
from consult.digest.contents import (
    COLUMNS,
    Digest,
    DigestInput,
    DigestTexts,
    PriorityCount,
    ReleaseSummary,
    Totals,
)
from consult.digest.filters import DigestFilters, FilterError
from consult.digest.labels import country_names, in_region, join_names, region_names
from consult.digest.matrix import Matrix, MatrixCell, MatrixRow, heat_class
from consult.digest.query import Reference
from consult.digest.releases.models import Release, ReleaseInput
from consult.digest.releases.suppression import WIDE
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.jobs import progress
from consult.timeutil import utcnow

#: The filters an external digest accepts: each selects rows, columns or inputs.
EXTERNAL_FILTERS = ("consultation", "release", "priority", "region", "country")
BATCH = 500


def _refuse_recounting(filters: DigestFilters) -> None:
    refused = [
        name
        for name in ("type", "theme", "since", "until")
        if getattr(filters, name) not in (None, "")
    ]
    if refused:
        raise FilterError(
            _(
                "An external digest is a projection of a published release: it can be "
                "narrowed by consultation, release, priority, region and country only, because "
                "any other cut would count again. Remove: %(refused)s. For other cuts, "
                "use an internal digest (EU staff only).",
                refused=", ".join(refused),
            ),
            refused[0],
        )


def find_release(filters: DigestFilters) -> Release:
    """The release an external digest projects: the one asked for, or the latest."""
    slug = filters.consultation
    if not slug:
        slugs = db.session.scalars(
            select(Consultation.slug).join(Release).distinct().order_by(Consultation.slug)
        ).all()
        if len(slugs) != 1:
            raise FilterError(
                _(
                    "An external digest is a published release of one consultation: choose "
                    "the consultation (with releases: %(slugs)s).",
                    slugs=", ".join(slugs) or _("none yet"),
                ),
                "consultation",
            )
        slug = slugs[0]
    releases = db.session.scalars(
        select(Release).join(Consultation).where(Consultation.slug == slug).order_by(Release.number)
    ).all()
    if not releases:
        raise FilterError(
            _(
                "No release of %(slug)s has been published yet: HQ publishes one on the "
                "digest page, or with `flask --app consult release create %(slug)s`.",
                slug=slug,
            ),
            "release",
        )
    if filters.release is None:
        return releases[-1]
    for release in releases:
        if release.number == filters.release:
            return release
    numbers = ", ".join(str(r.number) for r in releases)
    raise FilterError(
        _(
            "Release %(number)d of %(slug)s does not exist; published releases: %(numbers)s.",
            number=filters.release,
            slug=slug,
            numbers=numbers,
        ),
        "release",
    )


@dataclass
class ReleaseDigest(Digest):
    """A published release, narrowed by the filters that only select."""

    filters: DigestFilters
    summary: ReleaseSummary
    release_id: Any
    tables: dict[str, Any]
    reference: Reference
    consultation: ConsultationInfo | None
    k: int
    generated_at: datetime
    query: dict[str, str] = field(default_factory=dict)
    standalone: bool = False

    audience = "external"
    columns = COLUMNS

    @property
    def release(self) -> ReleaseSummary:  # type: ignore[override]
        return self.summary

    @property
    def audience_label(self) -> str:
        return _("External: may be shared outside the EU institutions")

    # -- selection ---------------------------------------------------------------
    def _columns(self) -> list[str]:
        regions = self.tables["regions"]
        return [
            code
            for code in self.tables["columns"]
            if (not self.filters.region or regions.get(code) == self.filters.region)
            and (not self.filters.country or code == self.filters.country)
        ]

    def _priorities(self) -> list[str]:
        return [
            slug
            for slug in self.reference.priorities
            if slug in self.tables["cells"]
            and (not self.filters.priority or slug == self.filters.priority)
        ]

    def selects(self, item: Any) -> bool:
        f = self.filters
        if f.priority and item.priority_slug != f.priority:
            return False
        if f.country and f.country not in item.countries:
            return False
        if f.region:
            regions = self.tables["regions"]
            placed = {regions.get(code, "") for code in item.countries} | set(item.regions)
            if f.region not in placed:
                return False
        return True

    @property
    def count(self) -> int:
        """How many inputs this projection lists (the release's total is in ``totals``)."""
        total = 0
        last = -1
        columns = (
            ReleaseInput.position,
            ReleaseInput.priority_slug,
            ReleaseInput.countries,
            ReleaseInput.regions,
        )
        while True:
            rows = db.session.execute(
                select(*columns)
                .where(ReleaseInput.release_id == self.release_id, ReleaseInput.position > last)
                .order_by(ReleaseInput.position)
                .limit(BATCH * 10)
            ).all()
            if not rows:
                return total
            last = rows[-1].position
            total += sum(1 for row in rows if self.selects(row))

    # -- tables ------------------------------------------------------------------
    def totals(self) -> Totals:
        t = self.tables["totals"]
        return Totals(t["inputs"], t["organisations"], t["countries"], t["recommendations"])

    def matrix(self) -> Matrix:
        ref = self.reference
        cells = self.tables["cells"]
        # Heat classes are relative to the release's highest visible cell, so a filtered
        # matrix colours every cell as the full one does.
        highest = max(
            (state[1] for row in cells.values() for state in row.values() if state[0] == "value"),
            default=0,
        )
        codes = self._columns()
        rows = []
        for slug in self._priorities():
            row_cells = []
            for code in codes:
                state = cells[slug][code]
                if state[0] == "value":
                    row_cells.append(
                        MatrixCell(state[1], 0, heat_class(state[1], highest), str(state[1]))
                    )
                elif state[0] == "fewer":
                    row_cells.append(
                        MatrixCell(
                            None, 0, "heat-0 heat-suppressed", _("fewer than %(k)d", k=self.k)
                        )
                    )
                else:
                    row_cells.append(
                        MatrixCell(None, 0, "heat-0 heat-suppressed", _("hidden"), hidden=True)
                    )
            total = self.tables["rows"][slug]["total"]
            rows.append(MatrixRow(slug, ref.priorities[slug], row_cells, total))
        countries = [(code, ref.countries.get(code, (code, ""))[0]) for code in codes]
        return Matrix(countries, rows, self.k)

    def priority_counts(self) -> list[PriorityCount]:
        result = []
        for slug in self._priorities():
            row = self.tables["rows"][slug]
            if row["total"] == 0:
                continue
            name = self.reference.priorities[slug]
            result.append(PriorityCount(slug, name, row["total"], row["organisations"]))
        return result

    def linked_tables(self) -> dict[str, dict[str, dict[str, int]]]:
        wanted = self._priorities()
        return {
            name: {p: rows[p] for p in wanted if p in rows}
            for name, rows in (
                ("type", self.tables["by_type"]),
                ("theme", self.tables["by_theme"]),
                ("addressee", self.tables["by_addressee"]),
            )
        }

    def filter_description(self) -> list[tuple[str, str]]:
        f = self.filters
        ref = self.reference
        s = self.summary
        items: list[tuple[str, str]] = []
        if self.consultation is not None:
            items.append((_("Consultation"), self.consultation.title))
        items.append(
            (
                _("Release"),
                _(
                    "no. %(number)d, inputs forwarded %(period)s, published %(date)s",
                    number=s.number,
                    period=s.period,
                    date=s.published_at.strftime("%Y-%m-%d"),
                ),
            )
        )
        if f.priority:
            items.append((_("Priority"), ref.priorities.get(f.priority, f.priority)))
        if f.region:
            items.append((_("Region"), ref.regions.get(f.region, (f.region, ""))[0]))
        if f.country:
            items.append((_("Country"), ref.countries.get(f.country, (f.country, ""))[0]))
        items.append((_("Audience"), self.audience_label))
        return items

    def texts(self) -> DigestTexts:
        totals = self.totals()
        k = self.k
        matrix = self.matrix()
        overview: list[str] = []
        if matrix.has_small:
            overview.append(
                _(
                    "Cells marked \u201c%(mark)s\u201d stand for fewer than %(k)d "
                    "organisations, perhaps none; to keep them anonymous, their inputs are "
                    "reported at region level.",
                    mark=f"<{k}" if matrix.compact else _("fewer than %(k)d", k=k),
                    k=k,
                )
            )
        if matrix.has_hidden:
            overview.append(
                _(
                    "Cells marked \u201chidden\u201d are not given so that a small group "
                    "cannot be worked out by subtraction; a hidden cell may hold any number, "
                    "and its inputs are reported at region level too."
                )
            )
        if self.tables["inputs_withheld"]:
            overview.append(
                _(
                    "For priorities whose total reads \u201chidden\u201d, inputs from small "
                    "groups that no region could hide are not listed in this release."
                )
            )
        return DigestTexts(
            summary=_(
                "This report is release %(number)d of the consultation's external digest: "
                "%(inputs)d inputs forwarded to headquarters from %(orgs)d organisations. It "
                "names %(countries)d countries; inputs from fewer than %(k)d organisations "
                "in a country are reported by region.",
                number=self.summary.number,
                inputs=totals.inputs,
                orgs=totals.organisations,
                countries=totals.countries,
                k=k,
            ),
            overview_notes=overview,
            method=[
                _(
                    "This digest may be shared outside the EU institutions. Inputs marked "
                    "\u201cEU staff only\u201d are left out; e-mail addresses, telephone "
                    "numbers, web addresses and names of registered organisations and people "
                    "that remained in the text were replaced by [redacted] when the release "
                    "was published."
                ),
                _(
                    "It is release %(number)d, published on %(date)s: the inputs forwarded in "
                    "%(period)s, frozen with their reviewed texts. Naming, places, small-group "
                    "suppression and references were decided once, over the whole release, and "
                    "every file of the release shows the same; a filter only selects rows, "
                    "columns and inputs of it. References are random per release.",
                    number=self.summary.number,
                    date=format_date(self.summary.published_at, "long"),
                    period=self.summary.period,
                ),
                _(
                    "Where fewer than %(k)d organisations stand behind a priority and a "
                    "country, the country is not given: their inputs are attributed to a CSO "
                    "in the region, and place names of the region in their text read "
                    "[place]. Every empty cell of that priority in that region reads "
                    "\u201cfewer than %(k)d\u201d too, and further cells are hidden until no "
                    "reader can work out, from the tables, the listed inputs and every earlier "
                    "release, whether a small group has any input at all or how many it has "
                    "below %(k)d (the audit is a linear program per cell, stored with the "
                    "release). Dates are given by month only.",
                    k=k,
                ),
            ],
            countries_label=_("Countries named"),
        )

    # -- inputs ------------------------------------------------------------------
    def present(self, item: Any) -> DigestInput:
        ref = self.reference
        if item.countries:
            places = country_names(ref, list(item.countries))
        else:
            places = region_names(ref, list(item.regions))
        if item.organisation_name:
            label = item.organisation_name
        elif item.countries:
            label = _("a CSO working in %(countries)s", countries=join_names(places))
        else:
            label = in_region(ref, list(item.regions) or [WIDE])
        return DigestInput(
            ref=item.reference,
            consultation=self.consultation.title if self.consultation else "",
            priority_slug=item.priority_slug,
            priority=ref.priorities.get(item.priority_slug, item.priority_slug),
            countries=join_names(places),
            group_place=places[0] if places else _("Other"),
            level=ref.levels.get(item.level_slug or "", ""),
            type_slug=item.type_slug or "",
            type=ref.types.get(item.type_slug or "", ""),
            themes=[ref.themes.get(t, t) for t in item.themes],
            title=item.title,
            body=item.body,
            summary=item.summary,
            attribution=label,
            forwarded=item.forwarded_month,
            recommendations=[
                (slug, ref.addressees.get(slug, slug), text) for slug, text in item.recommendations
            ],
        )

    def batches(self) -> Iterator[list[DigestInput]]:
        last = -1
        while True:
            rows = db.session.execute(
                select(*_INPUT_COLUMNS)
                .where(ReleaseInput.release_id == self.release_id, ReleaseInput.position > last)
                .order_by(ReleaseInput.position)
                .limit(BATCH)
            ).all()
            if not rows:
                return
            last = rows[-1].position
            batch = [self.present(item) for item in rows if self.selects(item)]
            progress.advance(len(batch))
            if batch:
                yield batch


#: Plain rows, not ORM objects: nothing of a long download stays in the session.
_INPUT_COLUMNS = (
    ReleaseInput.position,
    ReleaseInput.reference,
    ReleaseInput.priority_slug,
    ReleaseInput.type_slug,
    ReleaseInput.level_slug,
    ReleaseInput.countries,
    ReleaseInput.regions,
    ReleaseInput.organisation_name,
    ReleaseInput.themes,
    ReleaseInput.title,
    ReleaseInput.body,
    ReleaseInput.summary,
    ReleaseInput.recommendations,
    ReleaseInput.forwarded_month,
)


def build_release_digest(filters: DigestFilters) -> ReleaseDigest:
    """The projection of a release that the filters select; FilterError if they cannot."""
    _refuse_recounting(filters)
    release = find_release(filters)
    tables = release.tables
    reference = Reference.load()
    if filters.country and filters.country not in tables["columns"]:
        allowed = ", ".join(tables["columns"])
        raise FilterError(
            _(
                "Country %(country)s is not a column of this release; choose one of: %(allowed)s.",
                country=filters.country,
                allowed=allowed,
            ),
            "country",
        )
    if filters.region and filters.region not in set(tables["regions"].values()):
        raise FilterError(
            _("Region %(region)s has no country in this release.", region=filters.region),
            "region",
        )
    consultation = ConsultationInfo.of(release.consultation)
    summary = ReleaseSummary(
        consultation=consultation.slug,
        number=release.number,
        period=(
            release.period_start
            if release.period_start == release.period_end
            else f"{release.period_start} to {release.period_end}"
        ),
        published_at=release.published_at,
        k=release.k,
    )
    query = {**filters.as_dict(), "consultation": consultation.slug, "release": str(release.number)}
    return ReleaseDigest(
        filters=filters,
        summary=summary,
        release_id=release.id,
        tables=tables,
        reference=reference,
        consultation=consultation,
        k=release.k,
        generated_at=utcnow().replace(microsecond=0),
        query=query,
    )
