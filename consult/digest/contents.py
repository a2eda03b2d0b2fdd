"""What every digest file is made of, whatever its audience: the shaped digest.

Two kinds of digest exist, and each shapes its contents in one place:

* :class:`~consult.digest.internal.InternalDigest` (EU staff): a free query
  over forwarded inputs, exact counts, every input as reviewed;
* :class:`~consult.digest.releases.projection.ReleaseDigest` (external): a
  projection of a published release, where everything was decided once.

Both answer the interface below; the writers in ``exports/`` turn it into
bytes and never ask which audience they write for.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from consult.digest.consultation_info import ConsultationInfo
from consult.digest.matrix import Matrix
from consult.digest.query import Reference

#: The columns of an input, in every format (CSV, XLSX, JSON), for every audience.
COLUMNS = (
    "reference",
    "consultation",
    "priority",
    "priority_name",
    "countries",
    "level",
    "type",
    "type_name",
    "themes",
    "title",
    "body",
    "moderator_summary",
    "attribution",
    "forwarded",
)
#: Columns an internal digest adds (it is the only one that holds these inputs).
INTERNAL_COLUMNS = (*COLUMNS, "eu_staff_only", "status")
RECOMMENDATION_COLUMNS = (
    "reference",
    "priority_name",
    "countries",
    "attribution",
    "addressee",
    "recommendation",
)


@dataclass
class DigestInput:
    """One input as a digest presents it: labels, not slugs; texts as they may be read."""

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
    forwarded: str
    recommendations: list[tuple[str, str, str]] = field(default_factory=list)
    eu_only: bool = False
    status: str = ""

    def values(self) -> dict[str, Any]:
        """Every column's value (lists and booleans as such; writers flatten them)."""
        return {
            "reference": self.ref,
            "consultation": self.consultation,
            "priority": self.priority_slug,
            "priority_name": self.priority,
            "countries": self.countries,
            "level": self.level,
            "type": self.type_slug,
            "type_name": self.type,
            "themes": self.themes,
            "title": self.title,
            "body": self.body,
            "moderator_summary": self.summary,
            "attribution": self.attribution,
            "forwarded": self.forwarded,
            "eu_staff_only": self.eu_only,
            "status": self.status,
        }

    def recommendation_rows(self) -> Iterator[list[str]]:
        for _slug, addressee, text in self.recommendations:
            yield [self.ref, self.priority, self.countries, self.attribution, addressee, text]


@dataclass(frozen=True)
class Totals:
    inputs: int
    organisations: int
    countries: int
    recommendations: int


@dataclass(frozen=True)
class PriorityCount:
    slug: str
    name: str
    #: None when the total is not given (a release withheld some of its inputs).
    inputs: int | None
    organisations: int | None


@dataclass(frozen=True)
class DigestTexts:
    """The sentences a report says about its audience, shaped with the digest."""

    summary: str
    overview_notes: list[str]
    method: list[str]
    countries_label: str
    page_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReleaseSummary:
    """Which release an external file projects (shown in every format)."""

    consultation: str
    number: int
    period: str
    published_at: datetime
    k: int


class Digest(ABC):
    """A shaped digest: what every writer reads."""

    audience: str
    audience_label: str
    reference: Reference
    generated_at: datetime
    consultation: ConsultationInfo | None
    k: int
    columns: tuple[str, ...]
    #: The filters as given, for links back to the page.
    query: dict[str, str]
    release: ReleaseSummary | None = None
    #: A report written to a file (CLI) embeds its stylesheet; a served page links it.
    standalone: bool = False

    @property
    def count(self) -> int:
        return self.totals().inputs

    @abstractmethod
    def totals(self) -> Totals: ...

    @abstractmethod
    def matrix(self) -> Matrix: ...

    @abstractmethod
    def priority_counts(self) -> list[PriorityCount]: ...

    @abstractmethod
    def linked_tables(self) -> dict[str, dict[str, dict[str, int]]]:
        """Priority x type, x theme and x addressee: ``{"type": {priority: {slug: n}}, ...}``."""

    def _summed(self, table: str, names: dict[str, str]) -> list[tuple[str, str, int]]:
        rows = self.linked_tables()[table].values()
        return [(slug, name, sum(row.get(slug, 0) for row in rows)) for slug, name in names.items()]

    def type_counts(self) -> list[tuple[str, str, int]]:
        return self._summed("type", self.reference.types)

    def theme_counts(self) -> list[tuple[str, str, int]]:
        return self._summed("theme", self.reference.themes)

    def addressee_counts(self) -> list[tuple[str, str, int]]:
        return self._summed("addressee", self.reference.addressees)

    @abstractmethod
    def filter_description(self) -> list[tuple[str, str]]: ...

    @abstractmethod
    def texts(self) -> DigestTexts: ...

    @abstractmethod
    def batches(self) -> Iterator[list[DigestInput]]:
        """The inputs, presented, in batches; the order reveals neither time nor sender."""

    def inputs(self) -> Iterator[DigestInput]:
        for batch in self.batches():
            yield from batch
