"""What goes into a digest, read from the database.

Counts are summed from ``digest_counts``, kept by the database
(consult/digest/counters.py), or counted with SQL ``GROUP BY`` for the filters
those cannot answer; inputs are streamed as plain rows (no ORM
objects), their lists aggregated in the same statement, so an export of
1,000,000 inputs needs no more memory than one of 1,000.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, distinct, exists, func, literal_column, select, text
from sqlalchemy.orm import aliased

from consult.digest import counters
from consult.digest.counters import DigestCount
from consult.digest.filters import DigestFilters
from consult.extensions import db
from consult.i18n import label
from consult.inputs.models import (
    Consultation,
    Input,
    InputCountry,
    Recommendation,
    input_themes,
)
from consult.inputs.states import FORWARDED_STATUSES
from consult.jobs import progress
from consult.organisations.models import Organisation
from consult.reference.models import (
    Addressee,
    Country,
    InputType,
    Level,
    Priority,
    Region,
    Theme,
)

#: Inputs per batch of an export (rows fetched at a time from the server-side
#: cursor): 1,000 keeps a batch to a few MB of text (bench B4).
BATCH_SIZE = 1_000


def consultation_id(slug: str) -> Any:
    """The id of the consultation called ``slug``, as a subquery of the statement."""
    return select(Consultation.id).where(Consultation.slug == slug).scalar_subquery()


def conditions(filters: DigestFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``Input``: forwarded, not a merged duplicate, and the filters."""
    where: list[ColumnElement[bool]] = [
        Input.status.in_([str(s) for s in FORWARDED_STATUSES]),
        Input.merged_into_id.is_(None),
    ]
    if filters.consultation:
        where.append(Input.consultation_id == consultation_id(filters.consultation))
    if filters.priority:
        where.append(Input.priority_slug == filters.priority)
    if filters.type:
        where.append(Input.type_slug == filters.type)
    # Aliases: the outer query may itself join these tables (the matrix, the themes).
    if filters.country:
        link = aliased(InputCountry)
        where.append(
            exists().where(link.input_id == Input.id, link.country_code == filters.country)
        )
    if filters.region:
        link = aliased(InputCountry)
        country = aliased(Country)
        where.append(
            exists().where(
                link.input_id == Input.id,
                link.country_code == country.code,
                country.region_slug == filters.region,
            )
        )
    if filters.theme:
        tags = input_themes.alias()
        where.append(
            exists().where(tags.c.input_id == Input.id, tags.c.theme_slug == filters.theme)
        )
    if filters.since:
        where.append(Input.forwarded_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        where.append(
            Input.forwarded_at < datetime.combine(filters.until + timedelta(days=1), time.min)
        )
    return where


@dataclass
class Reference:
    """Names of the reference data, loaded once per digest (a few dozen rows)."""

    priorities: dict[str, str]
    countries: dict[str, tuple[str, str]]  # code -> (name, region slug)
    regions: dict[str, tuple[str, str]]  # slug -> (name, neighbourhood name)
    types: dict[str, str]
    themes: dict[str, str]
    levels: dict[str, str]
    addressees: dict[str, str]

    @classmethod
    def load(cls) -> Reference:
        def pairs(model: type, key: str, order: Any) -> dict[str, str]:
            rows = db.session.execute(select(getattr(model, key), model.name).order_by(order))
            return {key: label(name) for key, name in rows.all()}

        return cls(
            priorities=pairs(Priority, "slug", Priority.position),
            countries={
                code: (label(name), region)
                for code, name, region in db.session.execute(
                    select(Country.code, Country.name, Country.region_slug).order_by(Country.name)
                )
            },
            regions={
                slug: (label(name), label(hood))
                for slug, name, hood in db.session.execute(
                    select(Region.slug, Region.name, Region.neighbourhood_name).order_by(
                        Region.position
                    )
                )
            },
            types=pairs(InputType, "slug", InputType.position),
            themes=pairs(Theme, "slug", Theme.position),
            levels=pairs(Level, "slug", Level.position),
            addressees=pairs(Addressee, "slug", Addressee.position),
        )


@dataclass
class Cell:
    inputs: int
    organisations: int


@dataclass
class Aggregates:
    """Everything a digest counts: from ``digest_counts`` where it can, else GROUP BY."""

    inputs: int
    organisations: int
    countries: int
    recommendations: int
    cells: dict[tuple[str, str], Cell]
    by_priority: dict[str, Cell]
    #: The linked tables: {priority: {type, theme or addressee slug: count}}.
    by_type: dict[str, dict[str, int]]
    by_theme: dict[str, dict[str, int]]
    by_addressee: dict[str, dict[str, int]]
    #: Where each figure came from: {figure: "counters" or "rows"} (tests, the bench).
    sources: dict[str, str] = field(default_factory=dict)


def _per_priority(rows: Any) -> dict[str, dict[str, int]]:
    """``{priority: {slug: count}}`` from rows of (priority, slug, count)."""
    table: dict[str, dict[str, int]] = {}
    for priority, slug, count in rows:
        if priority and slug:  # '' is "none" in digest_counts, None in the rows
            table.setdefault(priority, {})[slug] = int(count)
    return table


#: The filters that narrow the counts (``release`` and ``audience`` do not).
_COUNTED_FILTERS = ("consultation", "priority", "country", "region", "type", "theme")


def _set_filters(filters: DigestFilters) -> set[str]:
    names = {name for name in _COUNTED_FILTERS if getattr(filters, name)}
    return names | {name for name in ("since", "until") if getattr(filters, name) is not None}


def _answers(kinds: tuple[str, ...], filters: DigestFilters, use_counters: bool) -> bool:
    """Whether rows of every kind in ``kinds`` can answer ``filters``.

    A filter on a country, region or theme never can: an input has several,
    so the counters (one row per input and country or theme) cannot say which
    inputs have *both* the filtered one and another. Nor can a type or date
    filter where a kind keeps neither (the distinct organisations and the
    matrix: with them their memberships would be nearly one per input).
    """
    wanted = _set_filters(filters)
    return use_counters and all(wanted <= counters.KEEPS[kind] for kind in kinds)


def _counter_rows(kind: str, filters: DigestFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``DigestCount``: one kind, not emptied, and the filters."""
    where: list[ColumnElement[bool]] = [DigestCount.kind == kind, DigestCount.n > 0]
    if filters.consultation:
        where.append(DigestCount.consultation_id == consultation_id(filters.consultation))
    elif kind in counters.EVERYWHERE:  # distinct counts of all consultations together
        where.append(DigestCount.consultation_id == counters.NIL)
    if filters.priority:
        where.append(DigestCount.priority_slug == filters.priority)
    if filters.type:
        where.append(DigestCount.type_slug == filters.type)
    if filters.since is not None or filters.until is not None:
        where.append(DigestCount.forwarded_on != counters.NO_DAY)  # no date: not in any range
    if filters.since is not None:
        where.append(DigestCount.forwarded_on >= filters.since)
    if filters.until is not None:
        where.append(DigestCount.forwarded_on <= filters.until)
    return where


@dataclass
class _Totals:
    inputs: int = 0
    organisations: int = 0
    by_priority: dict[str, Cell] = field(default_factory=dict)


def _totals_from_rows(where: list[ColumnElement[bool]]) -> _Totals:
    inputs, organisations = db.session.execute(
        select(func.count(Input.id), func.count(distinct(Input.organisation_id))).where(*where)
    ).one()
    by_priority = {
        p: Cell(n, o)
        for p, n, o in db.session.execute(
            select(
                Input.priority_slug,
                func.count(Input.id),
                func.count(distinct(Input.organisation_id)),
            )
            .where(*where)
            .group_by(Input.priority_slug)
        )
        if p is not None
    }
    return _Totals(inputs or 0, organisations or 0, by_priority)


def _totals_from_counters(filters: DigestFilters, per_type: dict[tuple[str, str], int]) -> _Totals:
    """Totals and the per-priority cells: inputs from ``per_type``, organisations from
    the distinct counts (one row for the total, one per priority)."""
    per_priority = {
        p: int(o)
        for p, o in db.session.execute(
            select(DigestCount.priority_slug, DigestCount.n).where(
                *_counter_rows("priority-organisations", filters)
            )
        )
    }
    if filters.priority:
        organisations = per_priority.get(filters.priority, 0)
    else:
        organisations = sum(
            db.session.scalars(
                select(DigestCount.n).where(*_counter_rows("organisations", filters))
            )
        )
    inputs: dict[str, int] = {}
    for (priority, _type), n in per_type.items():
        inputs[priority] = inputs.get(priority, 0) + n
    return _Totals(
        inputs=sum(inputs.values()),
        organisations=organisations,
        by_priority={p: Cell(inputs.get(p, 0), o) for p, o in per_priority.items() if p},
    )


def _per_type_from_counters(filters: DigestFilters) -> dict[tuple[str, str], int]:
    """Inputs per (priority, type), ``''`` for none: one small statement."""
    rows = db.session.execute(
        select(DigestCount.priority_slug, DigestCount.type_slug, func.sum(DigestCount.n))
        .where(*_counter_rows("input", filters))
        .group_by(DigestCount.priority_slug, DigestCount.type_slug)
    )
    return {(p, t): int(n) for p, t, n in rows if n}


def _cells_from_rows(where: list[ColumnElement[bool]]) -> list[tuple[Any, str, int, int]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                Input.priority_slug,
                InputCountry.country_code,
                func.count(distinct(Input.id)),
                func.count(distinct(Input.organisation_id)),
            )
            .join(InputCountry, InputCountry.input_id == Input.id)
            .where(*where)
            .group_by(Input.priority_slug, InputCountry.country_code)
        )
    ]


def _cells_from_counters(filters: DigestFilters) -> list[tuple[Any, str, int, int]]:
    """(priority, country, inputs, organisations): two reads of a few hundred rows."""
    organisations = {
        (p, code): int(o)
        for p, code, o in db.session.execute(
            select(DigestCount.priority_slug, DigestCount.item, DigestCount.n).where(
                *_counter_rows("country-organisations", filters)
            )
        )
    }
    return [
        (p, code, int(n), organisations.get((p, code), 0))
        for p, code, n in db.session.execute(
            select(DigestCount.priority_slug, DigestCount.item, func.sum(DigestCount.n))
            .where(*_counter_rows("country", filters))
            .group_by(DigestCount.priority_slug, DigestCount.item)
        )
    ]


def _per_priority_from_counters(kind: str, filters: DigestFilters) -> list[tuple[str, str, int]]:
    """(priority, item, count) of the theme or addressee rows."""
    return [
        (p, item, int(n))
        for p, item, n in db.session.execute(
            select(DigestCount.priority_slug, DigestCount.item, func.sum(DigestCount.n))
            .where(*_counter_rows(kind, filters))
            .group_by(DigestCount.priority_slug, DigestCount.item)
        )
    ]


def _by_type_from_rows(where: list[ColumnElement[bool]]) -> list[tuple[Any, Any, int]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Input.priority_slug, Input.type_slug, func.count(Input.id))
            .where(*where)
            .group_by(Input.priority_slug, Input.type_slug)
        )
    ]


def _by_theme_from_rows(where: list[ColumnElement[bool]]) -> list[tuple[Any, Any, int]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(Input.priority_slug, input_themes.c.theme_slug, func.count(Input.id))
            .join(Input, Input.id == input_themes.c.input_id)
            .where(*where)
            .group_by(Input.priority_slug, input_themes.c.theme_slug)
        )
    ]


def _by_addressee_from_rows(where: list[ColumnElement[bool]]) -> list[tuple[Any, Any, int]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                Input.priority_slug, Recommendation.addressee_slug, func.count(Recommendation.id)
            )
            .join(Input, Input.id == Recommendation.input_id)
            .where(*where)
            .group_by(Input.priority_slug, Recommendation.addressee_slug)
        )
    ]


def aggregate(filters: DigestFilters, *, use_counters: bool = True) -> Aggregates:
    """Count what the filters cover, figure by figure.

    Each figure is summed from ``digest_counts`` (consult/digest/counters.py)
    when its rows keep every filter that is set (``counters.KEEPS``), and
    counted from the inputs with a ``GROUP BY`` (answered from indexes)
    otherwise: filters on a country, region or theme, and a type or date range
    for the organisations and the matrix. ``sources`` says which. ``use_counters=False``
    counts everything from the inputs (the tests compare both).

    The number of countries and of recommendations are summed from the
    (priority, country) and (priority, addressee) groups rather than counted
    again.
    """
    where = conditions(filters)
    sources: dict[str, str] = {}

    def source(figure: str, *kinds: str) -> bool:
        answered = _answers(kinds, filters, use_counters)
        sources[figure] = "counters" if answered else "rows"
        return answered

    per_type: dict[tuple[str, str], int] | None = None
    if source("by_type", "input"):
        per_type = _per_type_from_counters(filters)
        type_rows: list[tuple[Any, Any, int]] = [(p, t, n) for (p, t), n in per_type.items()]
    else:
        type_rows = _by_type_from_rows(where)
    if source("totals", "input", "organisations", "priority-organisations"):
        if per_type is None:
            per_type = _per_type_from_counters(filters)
        totals = _totals_from_counters(filters, per_type)
    else:
        totals = _totals_from_rows(where)
    if source("cells", "country", "country-organisations"):
        cell_rows = _cells_from_counters(filters)
    else:
        cell_rows = _cells_from_rows(where)
    theme_rows = (
        _per_priority_from_counters("theme", filters)
        if source("by_theme", "theme")
        else _by_theme_from_rows(where)
    )
    addressee_rows = (
        _per_priority_from_counters("addressee", filters)
        if source("by_addressee", "addressee")
        else _by_addressee_from_rows(where)
    )
    return Aggregates(
        inputs=totals.inputs,
        organisations=totals.organisations,
        countries=len({code for _p, code, _n, _o in cell_rows}),
        recommendations=sum(count for _p, _a, count in addressee_rows),
        cells={(p, c): Cell(n, o) for p, c, n, o in cell_rows if p},
        by_priority=totals.by_priority,
        by_type=_per_priority(type_rows),
        by_theme=_per_priority(theme_rows),
        by_addressee=_per_priority(addressee_rows),
        sources=sources,
    )


@dataclass
class InputRow:
    """One input as read for a digest: plain values, nothing attached to a session."""

    id: uuid.UUID
    consultation: str
    priority_slug: str | None
    level_slug: str | None
    type_slug: str | None
    title: str
    body: str
    summary: str | None
    attribution: str
    organisation_id: uuid.UUID
    organisation_name: str
    status: str
    forwarded_at: datetime | None
    country_codes: list[str] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    recommendations: list[tuple[str, str]] = field(default_factory=list)


_COLUMNS = (
    Input.id,
    Consultation.title,
    Input.priority_slug,
    Input.level_slug,
    Input.type_slug,
    func.coalesce(Input.reviewed_title, Input.title),
    func.coalesce(Input.reviewed_body, Input.body),
    Input.moderator_summary,
    Input.attribution,
    Input.organisation_id,
    Organisation.name,
    Input.status,
    Input.forwarded_at,
)

# Each input's lists, aggregated in the statement that reads the input (one
# correlated subquery each, served by the link tables' input_id indexes), so
# an export is one streamed statement per priority. PostgreSQL orders inside
# the aggregate; SQLite (before 3.44) aggregates a subquery read in order.
_LISTS = {
    "postgresql": (
        "(SELECT string_agg(c.country_code, ',' ORDER BY c.position)"
        " FROM input_countries c WHERE c.input_id = inputs.id)",
        "(SELECT string_agg(t.theme_slug, ',' ORDER BY th.position, t.theme_slug)"
        " FROM input_themes t JOIN themes th ON th.slug = t.theme_slug"
        " WHERE t.input_id = inputs.id)",
        "(SELECT json_agg(json_build_array(r.addressee_slug,"
        " coalesce(r.reviewed_text, r.text)) ORDER BY r.position)"
        " FROM recommendations r WHERE r.input_id = inputs.id)",
    ),
    "sqlite": (
        "(SELECT group_concat(code, ',') FROM (SELECT c.country_code AS code"
        " FROM input_countries c WHERE c.input_id = inputs.id ORDER BY c.position))",
        "(SELECT group_concat(slug, ',') FROM (SELECT t.theme_slug AS slug"
        " FROM input_themes t JOIN themes th ON th.slug = t.theme_slug"
        " WHERE t.input_id = inputs.id ORDER BY th.position, t.theme_slug))",
        "(SELECT json_group_array(json_array(a, x)) FROM (SELECT r.addressee_slug AS a,"
        " coalesce(r.reviewed_text, r.text) AS x FROM recommendations r"
        " WHERE r.input_id = inputs.id ORDER BY r.position))",
    ),
}


def _rows_statement() -> Select[Any]:
    """The input columns and their three lists, joined to their consultation and sender."""
    dialect = db.session.get_bind().dialect.name
    lists = _LISTS["postgresql" if dialect == "postgresql" else "sqlite"]
    return (
        select(*_COLUMNS, *(literal_column(sql) for sql in lists))
        .join(Consultation, Consultation.id == Input.consultation_id)
        .join(Organisation, Organisation.id == Input.organisation_id)
    )


def no_jit() -> None:
    """Switch PostgreSQL's JIT compiler off for the rest of the transaction.

    The export's statement has three correlated subqueries, so the planner
    costs it high and compiles it: about 2 s per statement at 100,000
    inputs, for a statement that runs in under 1 s without (bench B4).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def _split(joined: str | None) -> list[str]:
    return joined.split(",") if joined else []


def _pairs(recommendations: Any) -> list[tuple[str, str]]:
    """The recommendations' JSON array (text on SQLite, parsed on PostgreSQL) as pairs."""
    if isinstance(recommendations, str):
        recommendations = json.loads(recommendations)
    return [(addressee, text) for addressee, text in recommendations or ()]


def _input_row(values: Sequence[Any]) -> InputRow:
    *columns, countries, themes, recommendations = values
    return InputRow(*columns, _split(countries), _split(themes), _pairs(recommendations))


def input_columns_for_ids(ids: list[uuid.UUID]) -> list[InputRow]:
    """The inputs of ``ids`` as plain rows, with their countries, themes and recommendations."""
    stmt = _rows_statement().where(Input.id.in_(ids))
    return [_input_row(values) for values in db.session.execute(stmt)]


def stream_input_rows(
    *where: ColumnElement[bool], batch_size: int = BATCH_SIZE
) -> Iterator[list[InputRow]]:
    """The inputs matching ``where`` as plain rows, in batches, from one statement.

    Read through a server-side cursor on PostgreSQL (``yield_per``), in no
    particular order: one statement whatever the number of inputs, instead of
    one per batch of ids (bench B8).
    """
    no_jit()
    stmt = _rows_statement().where(*where).execution_options(yield_per=batch_size)
    for partition in db.session.execute(stmt).partitions():
        yield [_input_row(values) for values in partition]


def iter_batches(
    filters: DigestFilters, priorities: list[str], batch_size: int = BATCH_SIZE
) -> Iterator[list[InputRow]]:
    """The matching inputs in batches: priority by priority, then by id within each.

    Ids are random (UUID4), so the order says nothing about when an input
    was sent or by whom. Each priority is one statement read through a
    server-side cursor on PostgreSQL (``yield_per``): the database sorts
    once, and Python holds one batch at a time whatever the digest's size.
    """
    where = conditions(filters)
    order = [p for p in priorities if not filters.priority or p == filters.priority]
    no_jit()
    for priority in [*order, None]:
        if priority is None and filters.priority:
            break
        stmt = (
            _rows_statement()
            .where(*where)
            .where(
                Input.priority_slug.is_(None)
                if priority is None
                else Input.priority_slug == priority
            )
            .order_by(Input.id)
            .execution_options(yield_per=batch_size)
        )
        for partition in db.session.execute(stmt).partitions():
            rows = [_input_row(values) for values in partition]
            progress.advance(len(rows))
            yield rows
