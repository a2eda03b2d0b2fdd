"""The suppression audit: what an attacker can deduce about each small cell, by linear programming.

Statistical offices audit a set of published tables by writing everything a
reader can add up as linear constraints and asking, for every suppressed
cell, the smallest and the largest value the constraints allow (the
*feasibility interval*). A release passes when every small cell's interval
contains 0 (nobody can tell that the country has an input at all) and
reaches at least k (nobody can tell that the group is small).

What a reader of a release knows, per priority row (the rows share no cell):

* every visible cell of the priority x country matrix;
* the listed inputs: an input placed in countries names them; an input placed
  at region level could be in any country of its region(s) (its *candidates*)
  and, by the published method, names at least one suppressed country;
* a "hidden" cell (complementary suppression) had at least k organisations,
  so at least k inputs;
* a row whose region-level inputs are withheld adds an unknown, unbounded
  number of inputs to every cell of the row (and its total is not given);
* the priority x type, priority x theme and addressee tables and the row
  totals are counts of the listed inputs: they add no constraint beyond the
  list.

Several releases of one consultation are audited together: a reader can link
an input across releases by its text (references differ), so an input placed
in its countries in any release has known countries in all of them, and an
input placed at region level everywhere has the candidates common to all.

Inputs that a reader cannot tell apart (same priority, same candidates, same
releases) are pooled into one variable per candidate country, bounded by
their number: the linear relaxation is the same, and the programs stay small
however many inputs a release holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

EPSILON = 1e-6


@dataclass(frozen=True)
class ListedInput:
    """An input as a reader sees it in one release."""

    key: str  # internal: links the same input across releases
    priority: str
    #: The countries, when the release names them; None at region level.
    countries: tuple[str, ...] | None
    #: At region level: every country of the matrix in the region(s) it is placed in.
    candidates: tuple[str, ...] = ()


@dataclass
class PublishedRow:
    """A priority row of the matrix as published."""

    visible: dict[str, int] = field(default_factory=dict)
    fewer: set[str] = field(default_factory=set)  # small, or empty and masked
    hidden: set[str] = field(default_factory=set)  # complementary suppression
    withheld: bool = False  # region-level inputs not listed, total not given

    @property
    def suppressed(self) -> set[str]:
        return self.fewer | self.hidden


@dataclass
class PublishedRelease:
    """What one release publishes, plus the small cells it must protect (known only to us)."""

    name: str
    columns: tuple[str, ...]
    rows: dict[str, PublishedRow]
    inputs: list[ListedInput]
    primary: set[tuple[str, str]]  # (priority, country) with fewer than k organisations


@dataclass(frozen=True)
class Interval:
    release: str
    priority: str
    country: str
    low: float
    high: float  # float("inf") when unbounded
    k: int

    @property
    def passes(self) -> bool:
        return self.low <= EPSILON and self.high >= self.k - EPSILON

    def as_dict(self) -> dict[str, object]:
        return {
            "release": self.release,
            "priority": self.priority,
            "country": self.country,
            "low": round(self.low, 3),
            "high": None if self.high == float("inf") else round(self.high, 3),
            "passes": self.passes,
        }


def _components(releases: list[PublishedRelease]) -> list[set[str]]:
    """Priorities linked by an input that changed priority between releases (usually none)."""
    parent: dict[str, str] = {}

    def find(p: str) -> str:
        parent.setdefault(p, p)
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    first_priority: dict[str, str] = {}
    for release in releases:
        for p in release.rows:
            find(p)
        for item in release.inputs:
            find(item.priority)
            seen = first_priority.setdefault(item.key, item.priority)
            if seen != item.priority:
                parent[find(seen)] = find(item.priority)
    groups: dict[str, set[str]] = defaultdict(set)
    for p in parent:
        groups[find(p)].add(p)
    return list(groups.values())


class _Program:
    """The linear constraints of one component, and the bounds of any cell's value."""

    def __init__(self, releases: list[PublishedRelease], priorities: set[str], k: int) -> None:
        self.k = k
        known: dict[str, frozenset[str]] = {}
        for release in releases:
            for item in release.inputs:
                if item.priority in priorities and item.countries is not None:
                    known[item.key] = frozenset(item.countries)
        # Pool the inputs a reader cannot tell apart.
        signature: dict[str, list[tuple[int, str, frozenset[str]] | None]] = {}
        for index, release in enumerate(releases):
            for item in release.inputs:
                if item.priority not in priorities or item.key in known:
                    continue
                sig = signature.setdefault(item.key, [None] * len(releases))
                sig[index] = (index, item.priority, frozenset(item.candidates))
        pools: dict[tuple, int] = defaultdict(int)
        for sig in signature.values():
            pools[tuple(sig)] += 1
        self.columns: dict[tuple, int] = {}  # variable -> column index
        self.upper: list[float] = []
        # (release index, priority, country) -> [(variable column, coefficient)]
        self.terms: dict[tuple[int, str, str], list[int]] = defaultdict(list)
        rows_ub: list[tuple[dict[int, float], float]] = []
        for pool_index, (sig, count) in enumerate(pools.items()):
            listed = [s for s in sig if s is not None]
            candidates = frozenset.intersection(*(s[2] for s in listed))
            for country in sorted(candidates):
                column = self._variable(("pool", pool_index, country), float(count))
                for index, priority, _cands in listed:
                    self.terms[(index, priority, country)].append(column)
            for index, priority, _cands in listed:
                row = releases[index].rows.get(priority, PublishedRow())
                suppressed = sorted(candidates & row.suppressed)
                # Each of these inputs names at least one suppressed country of its region.
                coefficients = {self.columns[("pool", pool_index, c)]: -1.0 for c in suppressed}
                rows_ub.append((coefficients, -float(count)))
        self.constant: dict[tuple[int, str, str], float] = defaultdict(float)
        for index, release in enumerate(releases):
            for item in release.inputs:
                if item.priority in priorities and item.key in known:
                    for country in known[item.key]:
                        self.constant[(index, item.priority, country)] += 1.0
            for priority, row in release.rows.items():
                if priority not in priorities or not row.withheld:
                    continue
                for country in release.columns:
                    column = self._variable(("withheld", index, priority, country), np.inf)
                    self.terms[(index, priority, country)].append(column)
        rows_eq: list[tuple[dict[int, float], float]] = []
        for index, release in enumerate(releases):
            for priority, row in release.rows.items():
                if priority not in priorities:
                    continue
                for country, value in row.visible.items():
                    cell = (index, priority, country)
                    rows_eq.append(
                        (dict.fromkeys(self.terms[cell], 1.0), value - self.constant[cell])
                    )
                for country in row.hidden:
                    cell = (index, priority, country)
                    # A hidden cell had at least k organisations: at least k inputs.
                    rows_ub.append((dict.fromkeys(self.terms[cell], -1.0), self.constant[cell] - k))
        self.a_ub, self.b_ub = self._matrix(rows_ub)
        self.a_eq, self.b_eq = self._matrix(rows_eq)

    def _variable(self, name: tuple, upper: float) -> int:
        self.columns[name] = len(self.upper)
        self.upper.append(upper)
        return self.columns[name]

    def _matrix(self, rows: list[tuple[dict[int, float], float]]):
        if not rows or not self.upper:
            return None, None
        matrix = np.zeros((len(rows), len(self.upper)))
        for i, (coefficients, _bound) in enumerate(rows):
            for column, value in coefficients.items():
                matrix[i, column] += value
        return matrix, np.array([bound for _c, bound in rows])

    def bounds(self, index: int, priority: str, country: str) -> tuple[float, float]:
        """The smallest and largest value of a cell that the constraints allow."""
        cell = (index, priority, country)
        constant = self.constant[cell]
        if not self.upper:
            return constant, constant
        objective = np.zeros(len(self.upper))
        for column in self.terms[cell]:
            objective[column] += 1.0
        if not objective.any():
            return constant, constant
        limits = [(0.0, None if u == np.inf else u) for u in self.upper]
        found = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_ub=self.a_ub,
                b_ub=self.b_ub,
                A_eq=self.a_eq,
                b_eq=self.b_eq,
                bounds=limits,
                method="highs",
            )
            if result.status == 3:  # unbounded: only a maximum can be
                found.append(float("inf"))
            elif result.status != 0:
                # Infeasible cannot happen with true data; treat it as a disclosure.
                return constant, constant
            else:
                found.append(sign * result.fun)
        return constant + found[0], constant + found[1]


def component_intervals(
    releases: list[PublishedRelease], priorities: set[str], k: int, *, stop_at_failure: bool = False
) -> list[Interval]:
    """The intervals of the small cells of one component (optionally up to the first failure)."""
    cells = [
        (index, priority, country)
        for index, release in enumerate(releases)
        for priority, country in sorted(release.primary)
        if priority in priorities and country in release.columns
    ]
    if not cells:
        return []
    program = _Program(releases, priorities, k)
    intervals: list[Interval] = []
    for index, priority, country in cells:
        low, high = program.bounds(index, priority, country)
        interval = Interval(releases[index].name, priority, country, low, high, k)
        intervals.append(interval)
        if stop_at_failure and not interval.passes:
            break
    return intervals


def components(releases: list[PublishedRelease]) -> list[set[str]]:
    """Groups of priorities audited together (one per priority unless inputs moved)."""
    return _components(releases)


def audit(releases: list[PublishedRelease], k: int) -> list[Interval]:
    """The feasibility interval of every small cell of every release, audited together."""
    intervals: list[Interval] = []
    for priorities in _components(releases):
        intervals += component_intervals(releases, priorities, k)
    return intervals


def failures(intervals: Iterable[Interval]) -> list[Interval]:
    return [interval for interval in intervals if not interval.passes]
