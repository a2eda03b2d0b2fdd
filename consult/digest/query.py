"""What goes into a digest, read from the database.

Counts come from SQL ``GROUP BY``; inputs are read in keyset batches of plain
rows (no ORM objects kept in the session), so an export of 10,000 inputs
needs no more memory than one of 1,000.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, distinct, exists, func, select
from sqlalchemy.orm import aliased

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

#: Inputs per keyset batch of an export. Each batch costs four statements (the
#: rows, then their countries, themes and recommendations); 1,000 keeps a batch
#: to a few MB of text while cutting the round trips tenfold (bench B4).
BATCH_SIZE = 1_000


def conditions(filters: DigestFilters) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``Input``: forwarded, not a merged duplicate, and the filters."""
    where: list[ColumnElement[bool]] = [
        Input.status.in_([str(s) for s in FORWARDED_STATUSES]),
        Input.merged_into_id.is_(None),
    ]
    if filters.consultation:
        where.append(
            Input.consultation_id
            == select(Consultation.id)
            .where(Consultation.slug == filters.consultation)
            .scalar_subquery()
        )
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
    """Everything a digest counts, each from one GROUP BY query."""

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


def _per_priority(stmt: Any) -> dict[str, dict[str, int]]:
    """``{priority: {slug: count}}`` from rows of (priority, slug, count)."""
    table: dict[str, dict[str, int]] = {}
    for priority, slug, count in db.session.execute(stmt):
        if priority is not None and slug is not None:
            table.setdefault(priority, {})[slug] = count
    return table


def aggregate(filters: DigestFilters) -> Aggregates:
    """Count what the filters cover, each count from one GROUP BY query."""
    where = conditions(filters)
    session = db.session
    inputs, organisations = session.execute(
        select(func.count(Input.id), func.count(distinct(Input.organisation_id))).where(*where)
    ).one()
    countries = session.scalar(
        select(func.count(distinct(InputCountry.country_code)))
        .join(Input, Input.id == InputCountry.input_id)
        .where(*where)
    )
    recommendations = session.scalar(
        select(func.count(Recommendation.id))
        .join(Input, Input.id == Recommendation.input_id)
        .where(*where)
    )
    cells = {
        (p, c): Cell(n, o)
        for p, c, n, o in session.execute(
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
        if p is not None
    }
    by_priority = {
        p: Cell(n, o)
        for p, n, o in session.execute(
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
    by_type = _per_priority(
        select(Input.priority_slug, Input.type_slug, func.count(Input.id))
        .where(*where)
        .group_by(Input.priority_slug, Input.type_slug)
    )
    by_theme = _per_priority(
        select(Input.priority_slug, input_themes.c.theme_slug, func.count(Input.id))
        .join(Input, Input.id == input_themes.c.input_id)
        .where(*where)
        .group_by(Input.priority_slug, input_themes.c.theme_slug)
    )
    by_addressee = _per_priority(
        select(Input.priority_slug, Recommendation.addressee_slug, func.count(Recommendation.id))
        .join(Input, Input.id == Recommendation.input_id)
        .where(*where)
        .group_by(Input.priority_slug, Recommendation.addressee_slug)
    )
    return Aggregates(
        inputs=inputs or 0,
        organisations=organisations or 0,
        countries=countries or 0,
        recommendations=recommendations or 0,
        cells=cells,
        by_priority=by_priority,
        by_type=by_type,
        by_theme=by_theme,
        by_addressee=by_addressee,
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


def fill_details(rows: list[InputRow]) -> None:
    """Countries (in order), themes and recommendations of a batch: three queries."""
    by_id = {row.id: row for row in rows}
    ids = list(by_id)
    for input_id, code in db.session.execute(
        select(InputCountry.input_id, InputCountry.country_code)
        .where(InputCountry.input_id.in_(ids))
        .order_by(InputCountry.input_id, InputCountry.position)
    ):
        by_id[input_id].country_codes.append(code)
    for input_id, slug in db.session.execute(
        select(input_themes.c.input_id, input_themes.c.theme_slug)
        .join(Theme, Theme.slug == input_themes.c.theme_slug)
        .where(input_themes.c.input_id.in_(ids))
        .order_by(input_themes.c.input_id, Theme.position)
    ):
        by_id[input_id].theme_slugs.append(slug)
    for input_id, addressee, text in db.session.execute(
        select(
            Recommendation.input_id,
            Recommendation.addressee_slug,
            func.coalesce(Recommendation.reviewed_text, Recommendation.text),
        )
        .where(Recommendation.input_id.in_(ids))
        .order_by(Recommendation.input_id, Recommendation.position)
    ):
        by_id[input_id].recommendations.append((addressee, text))


def input_columns_for_ids(ids: list[uuid.UUID]) -> list[InputRow]:
    """The inputs of ``ids`` as plain rows, details not yet filled."""
    stmt = (
        select(*_COLUMNS)
        .join(Consultation, Consultation.id == Input.consultation_id)
        .join(Organisation, Organisation.id == Input.organisation_id)
        .where(Input.id.in_(ids))
    )
    return [InputRow(*values) for values in db.session.execute(stmt)]


def iter_batches(
    filters: DigestFilters, priorities: list[str], batch_size: int = BATCH_SIZE
) -> Iterator[list[InputRow]]:
    """The matching inputs in batches: priority by priority, then by id within each.

    Ids are random (UUID4), so the order says nothing about when an input
    was sent or by whom. Each batch is a keyset query (``id > last``).
    """
    where = conditions(filters)
    order = [p for p in priorities if not filters.priority or p == filters.priority]
    for priority in [*order, None]:
        if priority is None and filters.priority:
            break
        last: uuid.UUID | None = None
        while True:
            stmt = (
                select(*_COLUMNS)
                .join(Consultation, Consultation.id == Input.consultation_id)
                .join(Organisation, Organisation.id == Input.organisation_id)
                .where(*where)
                .order_by(Input.id)
                .limit(batch_size)
            )
            stmt = stmt.where(
                Input.priority_slug.is_(None)
                if priority is None
                else Input.priority_slug == priority
            )
            if last is not None:
                stmt = stmt.where(Input.id > last)
            rows = [InputRow(*values) for values in db.session.execute(stmt)]
            if not rows:
                break
            fill_details(rows)
            progress.advance(len(rows))
            yield rows
            last = rows[-1].id
            if len(rows) < batch_size:
                break
