"""Primary and complementary suppression of a release, until the audit passes.

Per priority row of the priority x country matrix:

1. *Primary*: a cell with fewer than k organisations reads "fewer than k"
   and its inputs are placed at region level.
2. *Masked zeros*: in a region holding a small cell, every empty cell of the
   row reads "fewer than k" too, so the small cell is one of several alike.
   A region with a single country in the matrix cannot hide anything: the
   row is then protected as one region, the whole European Neighbourhood
   (*wide*).
3. *Complementary*: the audit (``audit.py``) is run over this release and
   every earlier release of the consultation; for each row with a small cell
   whose interval fails, the smallest visible non-zero cell of its region
   (then of the row, once wide) is hidden and its inputs placed at region
   level too, and the audit runs again.
4. *Withheld*: a row with nothing left to hide keeps its region-level inputs
   out of the release and its total hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from consult.digest.releases.audit import (
    Interval,
    ListedInput,
    PublishedRelease,
    PublishedRow,
    component_intervals,
    components,
    failures,
)

WIDE = "*"


@dataclass(frozen=True)
class CellCount:
    inputs: int
    organisations: int


@dataclass(frozen=True)
class Candidate:
    """An input of the release being built: its internal key, priority and countries."""

    key: str
    priority: str
    countries: tuple[str, ...]


@dataclass
class RowPlan:
    """How one priority row is protected."""

    priority: str
    primary: set[str] = field(default_factory=set)
    masked: set[str] = field(default_factory=set)
    secondary: set[str] = field(default_factory=set)
    wide: bool = False
    withheld: bool = False

    @property
    def suppressed(self) -> set[str]:
        return self.primary | self.masked | self.secondary


@dataclass
class Protection:
    """The suppression pattern of a release and the audit that passed it."""

    columns: tuple[str, ...]
    rows: dict[str, RowPlan]
    intervals: list[Interval]
    rounds: int

    def region_level(self, priority: str, countries: Sequence[str]) -> bool:
        plan = self.rows.get(priority)
        return plan is not None and any(c in plan.suppressed for c in countries)

    def withholds(self, priority: str, countries: Sequence[str]) -> bool:
        plan = self.rows.get(priority)
        return plan is not None and plan.withheld and self.region_level(priority, countries)


class Protector:
    """Builds the suppression pattern of one release against the earlier ones."""

    def __init__(
        self,
        cells: dict[tuple[str, str], CellCount],
        inputs: list[Candidate],
        columns: Sequence[str],
        region_of: Callable[[str], str],
        k: int,
        earlier: Sequence[PublishedRelease] = (),
        name: str = "new",
    ) -> None:
        self.cells = cells
        self.inputs = inputs
        self.columns = tuple(columns)
        self.region_of = region_of
        self.k = k
        self.earlier = list(earlier)
        self.name = name
        self.regions: dict[str, list[str]] = {}
        for code in self.columns:
            self.regions.setdefault(region_of(code), []).append(code)

    # -- geometry ---------------------------------------------------------------
    def groups(self, plan: RowPlan) -> list[list[str]]:
        return [list(self.columns)] if plan.wide else list(self.regions.values())

    def group_of(self, plan: RowPlan, country: str) -> list[str]:
        for group in self.groups(plan):
            if country in group:
                return group
        return list(self.columns)

    def placed_regions(self, plan: RowPlan, countries: Sequence[str]) -> list[str]:
        """The regions (or ``*``, the whole Neighbourhood) a region-level input is placed in."""
        if plan.wide:
            return [WIDE]
        seen: list[str] = []
        for code in countries:
            region = self.region_of(code)
            if region not in seen:
                seen.append(region)
        return seen

    def candidates(self, plan: RowPlan, countries: Sequence[str]) -> tuple[str, ...]:
        if plan.wide:
            return self.columns
        regions = set(self.placed_regions(plan, countries))
        return tuple(c for c in self.columns if self.region_of(c) in regions)

    def _count(self, priority: str, country: str) -> int:
        cell = self.cells.get((priority, country))
        return cell.inputs if cell else 0

    # -- the plan -------------------------------------------------------------
    def _mask(self, plan: RowPlan) -> None:
        for group in self.groups(plan):
            if any(code in plan.primary for code in group):
                plan.masked.update(c for c in group if self._count(plan.priority, c) == 0)

    def initial(self) -> dict[str, RowPlan]:
        plans: dict[str, RowPlan] = {}
        for (priority, country), cell in self.cells.items():
            plan = plans.setdefault(priority, RowPlan(priority))
            if country in self.columns and cell.organisations < self.k:
                plan.primary.add(country)
        for plan in plans.values():
            if len(self.columns) > 1 and any(
                len(group) == 1 and group[0] in plan.primary for group in self.regions.values()
            ):
                plan.wide = True
            self._mask(plan)
        return plans

    def published(self, plans: dict[str, RowPlan]) -> PublishedRelease:
        """What this plan would publish, as the audit reads it."""
        rows: dict[str, PublishedRow] = {}
        for priority, plan in plans.items():
            row = PublishedRow(
                fewer=plan.primary | plan.masked,
                hidden=set(plan.secondary),
                withheld=plan.withheld,
            )
            for code in self.columns:
                if code not in plan.suppressed:
                    row.visible[code] = self._count(priority, code)
            rows[priority] = row
        listed: list[ListedInput] = []
        for item in self.inputs:
            plan = plans.get(item.priority) or RowPlan(item.priority)
            if any(c in plan.suppressed for c in item.countries):
                if plan.withheld:
                    continue
                listed.append(
                    ListedInput(
                        item.key,
                        item.priority,
                        None,
                        self.candidates(plan, item.countries),
                    )
                )
            else:
                listed.append(ListedInput(item.key, item.priority, item.countries))
        primary = {(p, c) for p, plan in plans.items() for c in plan.primary}
        return PublishedRelease(self.name, self.columns, rows, listed, primary)

    def _escalate(self, plan: RowPlan, country: str) -> bool:
        """Hide one more cell of the row, widen it, or withhold it; False if nothing is left."""
        group = self.group_of(plan, country)
        visible = [
            c for c in group if c not in plan.suppressed and self._count(plan.priority, c) > 0
        ]
        if visible:
            cell = min(
                visible,
                key=lambda c: (
                    self.cells[(plan.priority, c)].inputs,
                    self.cells[(plan.priority, c)].organisations,
                    c,
                ),
            )
            plan.secondary.add(cell)
            return True
        if not plan.wide and len(self.regions) > 1:
            plan.wide = True
            self._mask(plan)
            return True
        if not plan.withheld:
            plan.withheld = True
            return True
        return False

    def protect(self) -> Protection:
        """Escalate row by row until every small cell's interval passes.

        Rows are audited independently (they share no cell), and a row is audited
        again only after it changed; until then it stops at its first failing cell.
        """
        plans = self.initial()
        passed: dict[frozenset[str], list[Interval]] = {}
        todo: set[str] | None = None  # None: every row
        rounds = 0
        while todo is None or todo:
            rounds += 1
            releases = [*self.earlier, self.published(plans)]
            changed: set[str] = set()
            for component in components(releases):
                key = frozenset(component)
                if todo is not None and not component & todo and key in passed:
                    continue
                intervals = component_intervals(releases, component, self.k, stop_at_failure=True)
                failed = failures(intervals)
                if not failed:
                    passed[key] = intervals
                    continue
                passed.pop(key, None)
                interval = failed[0]
                plan = plans.setdefault(interval.priority, RowPlan(interval.priority))
                if not self._escalate(plan, interval.country):
                    raise RuntimeError("The release cannot be protected; this is a bug.")
                changed |= component
            todo = changed
        intervals = [i for group in passed.values() for i in group]
        order = {p: n for n, p in enumerate(sorted({i.priority for i in intervals}))}
        intervals.sort(key=lambda i: (i.release, order[i.priority], i.country))
        return Protection(self.columns, plans, intervals, rounds)
