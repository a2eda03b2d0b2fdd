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
  - neither the matrix's columns nor its zeros point at a small cell: the
    columns are every country in the digest's scope, and the empty cells of
    a region holding a small cell read "fewer than k" too (masked zeros);
  - no small cell can be worked out by subtraction: where masked zeros are
    not enough, further cells are hidden (complementary suppression, see
    :func:`suppress`), their inputs are placed at region level too, and a
    priority whose lone small cell cannot be covered has its total hidden;
  - inputs are identified by a keyed reference, not by their database id.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.digest.query import Aggregates, Cell, Reference
from consult.identifiers import redact
from consult.inputs.states import Attribution


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
    * ``masked``: empty cells shown as "fewer than k" too (0 is fewer than k), so
      that a small cell is never the only non-zero cell of its region in its row;
    * ``secondary``: cells hidden so that no primary cell can be worked out
      by subtraction ("hidden"; they may hold any number);
    * ``hidden_totals``: priorities whose total is hidden because the row holds a
      single suppressed cell and nothing to hide with it (one country in the
      matrix); with a country filter their inputs are left out, as the filter
      names the country;
    * ``wide``: priorities whose region-level inputs are placed in the whole
      European Neighbourhood, because a region with a single country in the
      matrix holds a small cell of the row, so the region's name would name it.
    """

    primary: frozenset[CellKey] = frozenset()
    masked: frozenset[CellKey] = frozenset()
    secondary: frozenset[CellKey] = frozenset()
    hidden_totals: frozenset[str] = frozenset()
    wide: frozenset[str] = frozenset()

    @property
    def fewer(self) -> frozenset[CellKey]:
        """The cells that read "fewer than k": small ones and masked empty ones."""
        return self.primary | self.masked

    @property
    def cells(self) -> frozenset[CellKey]:
        return self.primary | self.masked | self.secondary


def _smallest(candidates: list[CellKey], cells: Mapping[CellKey, Cell]) -> CellKey:
    """The partner to hide: the fewest inputs, then the fewest organisations, then the code."""
    return min(candidates, key=lambda key: (cells[key].inputs, cells[key].organisations, key[1]))


def suppress(
    cells: Mapping[CellKey, Cell],
    k: int,
    area: Callable[[str], str],
    columns: Sequence[str],
) -> Suppression:
    """Primary and complementary suppression of the priority x country matrix.

    ``columns`` are the countries the matrix shows, fixed by the digest's
    scope (not by the data), so that a column never exists because of one
    small cell. A row's total counts only these countries.

    What a reader of an external digest can add up, for each priority row:
    the row's total (printed, and again by counting the listed inputs of the
    priority) and the inputs placed at region level, by region (counting the
    inputs "in the Eastern Neighbourhood" gives the suppressed cells of the
    row in that region). No column or region total is printed, and counting
    the inputs that name a country gives only visible cells, as those of
    suppressed cells are placed at region level. So the lines to protect are,
    per row, the row within each region (``area`` of a country: the name its
    inputs are placed under) and the row; rows share no line.

    Rule, per row:

    1. Masked zeros: in a region of the row that holds a small cell, every
       empty cell reads "fewer than k" too, so the small cell is one of
       several identical cells (a visible 0 would rule its country out).
    2. A region with a single country in the matrix cannot hide its small
       cell among others: the row's region-level inputs are then placed in the
       whole Neighbourhood (``wide``), the row is one region, and every empty
       cell of the row is masked.
    3. Partners, repeated until nothing changes: a line (a region of the row,
       then the row) that holds exactly one suppressed cell, small or masked,
       gets a partner: the smallest non-zero visible cell of the same region
       first, then of the row. With masked zeros this happens only where every
       other country of the region has at least k organisations.
    4. A row still holding a single suppressed cell gets its total hidden.
    """
    primary = frozenset(key for key, cell in cells.items() if cell.organisations < k)
    regions: dict[str, list[str]] = {}
    for code in columns:
        regions.setdefault(area(code), []).append(code)
    suppressed: set[CellKey] = set(primary)
    masked: set[CellKey] = set()
    hidden: set[str] = set()
    wide: set[str] = set()
    for priority in sorted({p for p, code in primary if code in columns}):
        row = [(priority, code) for code in columns]
        groups = [[(priority, code) for code in codes] for codes in regions.values()]
        if len(row) > 1 and any(len(g) == 1 and g[0] in primary for g in groups):
            wide.add(priority)
            groups = [row]
        for group in groups:
            if any(key in primary for key in group):
                masked.update(key for key in group if key not in cells)
        suppressed |= masked
        lines = groups if len(groups) == 1 else [*groups, row]
        changed = True
        while changed:
            changed = False
            for line in lines:
                changed |= _cover(line, suppressed, cells, area)
        if sum(key in suppressed for key in row) == 1:
            hidden.add(priority)
    return Suppression(
        primary=primary,
        masked=frozenset(masked),
        secondary=frozenset(suppressed - primary - masked),
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

    The partner is the smallest non-zero visible cell of the line in the
    suppressed cell's region if there is one, else the smallest of the line.
    """
    alone = [key for key in line if key in suppressed]
    if len(alone) != 1:
        return False
    candidates = [key for key in line if key not in suppressed and key in cells]
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
    #: The countries the matrix shows, in order (see ``suppress``); external digests
    #: fix them by the digest's scope, so that a column never points at a small cell.
    columns: tuple[str, ...] = ()
    #: Leave out the inputs of a priority whose total is hidden. Set with a country
    #: filter: "a CSO in the Eastern Neighbourhood" would still say the filtered country.
    withhold_hidden_totals: bool = False

    def __post_init__(self) -> None:
        self._known_lower = sorted({k.strip().lower() for k in self.known if k and k.strip()})
        self.suppression = (
            suppress(self.aggregates.cells, self.k, self.area, self.columns)
            if self.external
            else Suppression()
        )

    # -- cells ---------------------------------------------------------------
    def area(self, code: str) -> str:
        """The region a country's inputs are placed under at region level."""
        return self.neighbourhoods([code])[0]

    def reads_fewer(self, priority: str | None, country: str) -> bool:
        """Whether the cell reads "fewer than k": a small cell, or an empty one masked."""
        return (priority or "", country) in self.suppression.fewer

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
