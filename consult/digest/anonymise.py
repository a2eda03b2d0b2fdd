"""The non-attribution guarantee, applied while a digest is generated.

* Attribution: an attributable input names its organisation; any other says
  "a CSO working in <countries>".
* External digests (meant to leave the EU institutions):
  - identifiers the moderator did not catch (emails, phones, URLs, names
    of registered organisations and users) are replaced by ``[redacted]``
    in every free-text field;
  - an organisation that also sent non-attributable inputs covered by the
    digest is not named at all, so its name cannot point at them;
  - small groups are not anonymous: an input in a priority x country cell
    with fewer than k organisations is placed at region level ("a CSO in the
    Eastern Neighbourhood") and the cell shows "fewer than k" (primary
    suppression);
  - no small cell can be worked out by subtraction: further cells are hidden
    (complementary suppression, see :func:`suppress`), their inputs are
    placed at region level too, and a priority whose lone small cell cannot
    be covered has its total hidden;
  - inputs are identified by a keyed reference, not by their database id.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.digest.query import Aggregates, Cell, Reference
from consult.identifiers import redact
from consult.submissions.states import Attribution


def join_names(names: list[str]) -> str:
    """ "Tunisia", "Ukraine and Moldova", "Lebanon, Syria and Jordan"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


CellKey = tuple[str, str]  # (priority slug, country code)


@dataclass(frozen=True)
class Suppression:
    """Which counts of an external digest are not shown, and what follows for its inputs.

    * ``primary``: cells with fewer than k organisations ("fewer than k");
    * ``secondary``: cells hidden so that no primary cell can be worked out
      by subtraction ("hidden"; they may hold any number);
    * ``hidden_totals``: priorities whose total is hidden because their only
      non-zero cell (in the filtered country or region) is small; with a
      country filter their inputs are left out, as the filter names the country;
    * ``wide``: priorities whose region-level inputs are placed in the whole
      European Neighbourhood, because one region of the row holds a single
      suppressed cell, so the region's name would point at its country.
    """

    primary: frozenset[CellKey] = frozenset()
    secondary: frozenset[CellKey] = frozenset()
    hidden_totals: frozenset[str] = frozenset()
    wide: frozenset[str] = frozenset()

    @property
    def cells(self) -> frozenset[CellKey]:
        return self.primary | self.secondary


def _smallest(candidates: list[CellKey], cells: Mapping[CellKey, Cell]) -> CellKey:
    """The partner to hide: the fewest inputs, then the fewest organisations, then the code."""
    return min(candidates, key=lambda key: (cells[key].inputs, cells[key].organisations, key[1]))


def suppress(
    cells: Mapping[CellKey, Cell],
    k: int,
    area: Callable[[str], str],
    in_scope: Callable[[str], bool],
) -> Suppression:
    """Primary and complementary (secondary) suppression of the priority x country matrix.

    What a reader of an external digest can add up, for each priority row:
    the row's total (printed, and again by counting the listed inputs of the
    priority) and the inputs placed at region level, by region (counting the
    inputs "in the Eastern Neighbourhood" gives the suppressed cells of the
    row in that region). No column or region total is printed, and counting
    the inputs that name a country gives only visible cells, as those of
    suppressed cells are placed at region level. So the lines to protect are,
    per row, the row and the row within each region (``area`` of a country:
    the name its inputs are placed under); rows share no line.

    ``in_scope`` tells the countries the row total counts: with a country or
    region filter the total counts the inputs about that country or region,
    not the other countries their multi-country inputs bring into the matrix.

    Rule, per row, repeated until nothing changes: a line that holds exactly
    one suppressed cell gets a partner, the smallest non-zero visible cell of
    the same region first, then of the row. A region holding a single
    non-zero cell, a small one, cannot be covered: the row's region-level
    inputs are then placed in the whole Neighbourhood (``wide``) and only the
    row needs a partner. A row whose only non-zero cell is small gets its
    total hidden.
    """
    primary = frozenset(key for key, cell in cells.items() if cell.organisations < k)
    rows: dict[str, list[CellKey]] = {}
    for key, cell in sorted(cells.items()):
        if cell.inputs > 0 and in_scope(key[1]):
            rows.setdefault(key[0], []).append(key)
    suppressed = set(primary)
    hidden: set[str] = set()
    wide: set[str] = set()
    for priority, line in rows.items():
        regions: dict[str, list[CellKey]] = {}
        for key in line:
            regions.setdefault(area(key[1]), []).append(key)
        # A region whose only non-zero cell is suppressed: its name would point at it.
        lonely = any(len(part) == 1 and part[0] in suppressed for part in regions.values())
        if lonely and len(line) > 1:
            wide.add(priority)
        lines = [line] if lonely else [*regions.values(), line]
        changed = True
        while changed:
            changed = False
            for part in lines:
                changed |= _cover(part, suppressed, cells, area)
        if sum(key in suppressed for key in line) == 1:
            hidden.add(priority)
    return Suppression(
        primary=primary,
        secondary=frozenset(suppressed - primary),
        hidden_totals=frozenset(hidden),
        wide=frozenset(wide),
    )


def _cover(
    line: list[CellKey],
    suppressed: set[CellKey],
    cells: Mapping[CellKey, Cell],
    area: Callable[[str], str],
) -> bool:
    """Hide a partner if ``line`` holds exactly one suppressed cell; whether one was hidden.

    The partner is the smallest visible cell of the line in the suppressed
    cell's region if there is one, else the smallest of the line.
    """
    alone = [key for key in line if key in suppressed]
    if len(alone) != 1:
        return False
    candidates = [key for key in line if key not in suppressed]
    if not candidates:
        return False
    same_region = [key for key in candidates if area(key[1]) == area(alone[0][1])]
    suppressed.add(_smallest(same_region or candidates, cells))
    return True


@dataclass
class Anonymiser:
    external: bool
    k: int
    reference: Reference
    aggregates: Aggregates
    known: list[str] = field(default_factory=list)
    secret: bytes = b""
    #: Country codes the filters are about (a country, or a region's countries); None: all.
    scope: frozenset[str] | None = None
    #: Leave out the inputs of a priority whose total is hidden. Set with a country
    #: filter: "a CSO in the Eastern Neighbourhood" would still say the filtered country.
    withhold_hidden_totals: bool = False

    def __post_init__(self) -> None:
        self._known_lower = sorted({k.strip().lower() for k in self.known if k and k.strip()})
        self.suppression = (
            suppress(self.aggregates.cells, self.k, self.area, self.in_scope)
            if self.external
            else Suppression()
        )
        self.small_cells: frozenset[CellKey] = self.suppression.primary

    # -- cells ---------------------------------------------------------------
    def area(self, code: str) -> str:
        """The region a country's inputs are placed under at region level."""
        return self.neighbourhoods([code])[0]

    def in_scope(self, code: str) -> bool:
        return self.scope is None or code in self.scope

    def is_small(self, priority: str | None, country: str) -> bool:
        """Whether the cell has fewer than k organisations (primary suppression)."""
        return (priority or "", country) in self.suppression.primary

    def is_hidden(self, priority: str | None, country: str) -> bool:
        """Whether the cell is hidden to protect a small one (secondary suppression)."""
        return (priority or "", country) in self.suppression.secondary

    def is_suppressed(self, priority: str | None, country: str) -> bool:
        return (priority or "", country) in self.suppression.cells

    def total_hidden(self, priority: str | None) -> bool:
        return (priority or "") in self.suppression.hidden_totals

    def withholds(self, priority: str | None) -> bool:
        """Whether the inputs of a priority are left out (its total is hidden)."""
        return self.external and self.withhold_hidden_totals and self.total_hidden(priority)

    @property
    def withheld_priorities(self) -> frozenset[str]:
        if not (self.external and self.withhold_hidden_totals):
            return frozenset()
        return self.suppression.hidden_totals

    def region_level(self, priority: str | None, codes: list[str]) -> bool:
        """Whether an input must be placed at region level (one of its cells is suppressed)."""
        return self.external and any(self.is_suppressed(priority, code) for code in codes)

    def regions_of(self, priority: str | None, codes: list[str]) -> list[str]:
        """The region(s) a region-level input is placed in."""
        if (priority or "") in self.suppression.wide:
            return [_("the European Neighbourhood")]
        return self.neighbourhoods(codes)

    # -- places and labels -----------------------------------------------------
    def country_names(self, codes: list[str]) -> list[str]:
        return [self.reference.countries.get(c, (c, ""))[0] for c in codes]

    def neighbourhoods(self, codes: list[str]) -> list[str]:
        seen: list[str] = []
        for code in codes:
            region = self.reference.countries.get(code, ("", ""))[1]
            hood = self.reference.regions.get(region, ("", _("the European Neighbourhood")))[1]
            if hood not in seen:
                seen.append(hood)
        return seen or [_("the European Neighbourhood")]

    def place(self, priority: str | None, codes: list[str]) -> str:
        """Where an input is from, as a digest may say it."""
        if self.region_level(priority, codes):
            return join_names(self.regions_of(priority, codes))
        return join_names(self.country_names(codes))

    def group_place(self, priority: str | None, codes: list[str]) -> str:
        """The heading a good practice is grouped under (its main country or region)."""
        if self.region_level(priority, codes):
            return self.regions_of(priority, codes)[0]
        return self.country_names(codes[:1])[0] if codes else _("Other")

    def names_organisation(self, attribution: str, organisation_id: uuid.UUID) -> bool:
        if attribution != Attribution.ATTRIBUTABLE:
            return False
        return not (self.external and organisation_id in self.aggregates.non_attributable_orgs)

    def label(
        self,
        attribution: str,
        organisation_id: uuid.UUID,
        organisation_name: str,
        priority: str | None,
        codes: list[str],
    ) -> str:
        """The attribution label: the organisation's name, or "a CSO working in ..."."""
        if self.names_organisation(attribution, organisation_id):
            return organisation_name
        if self.region_level(priority, codes):
            return _("a CSO in %(region)s", region=join_names(self.regions_of(priority, codes)))
        return _("a CSO working in %(countries)s", countries=join_names(self.country_names(codes)))

    # -- text and references ---------------------------------------------------
    def text(self, value: str | None) -> str:
        """Free text as the digest may carry it (identifiers redacted when external)."""
        if not value:
            return ""
        if not self.external:
            return value
        # Hand the detector only the known names that occur (a cheap substring test),
        # rather than compiling a pattern for every registered name on every field.
        lowered = value.lower()
        present = [name for name in self._known_lower if name in lowered]
        return redact(value, present)

    def ref(self, input_id: uuid.UUID) -> str:
        """The input's reference: its id internally, a keyed pseudonym externally."""
        if not self.external:
            return str(input_id)
        digest = hmac.new(self.secret, input_id.bytes, hashlib.sha256).hexdigest()
        return "R-" + digest[:10].upper()
