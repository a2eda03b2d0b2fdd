"""Publishing a release: freeze the inputs, decide naming and places, protect, store.

Everything an external file shows is decided here, once, over the whole
release, and stored: which organisations are named (over all of an
organisation's inputs in the consultation), where each input is placed
(its countries, or its region when a cell is small), the suppression
pattern (audited together with every earlier release), the texts as
redacted, and a random reference per input.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Connection, Table, insert, select

from consult.audit.services import record
from consult.digest.query import InputRow, Reference, input_columns_for_ids, stream_input_rows
from consult.digest.redaction import ExternalText
from consult.digest.releases.audit import ListedInput, PublishedRelease, PublishedRow
from consult.digest.releases.errors import ReleaseError
from consult.digest.releases.models import Release, ReleaseInput
from consult.digest.releases.periods import Period, resolve_period
from consult.digest.releases.scrubbing import Cleaner, Work
from consult.digest.releases.suppression import (
    WIDE,
    Candidate,
    CellCount,
    Protection,
    Protector,
)
from consult.extensions import db
from consult.inputs.models import Consultation, Input, InputCountry, consultation_countries
from consult.inputs.states import FORWARDED_STATUSES, Attribution, Status
from consult.jobs import progress
from consult.timeutil import utcnow

#: Inputs read by id at once (the rare input that changed while the release was built).
BATCH = 500
#: Rows of ``release_inputs`` per INSERT statement.
INSERT_BATCH = 1_000


@dataclass(frozen=True)
class Frozen:
    """An input of the release, as counted (texts are read later, in batches)."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    priority: str
    countries: tuple[str, ...]
    attribution: str
    forwarded_at: datetime


def _consultation(slug: str) -> Consultation:
    found = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if found is None:
        slugs = db.session.scalars(select(Consultation.slug).order_by(Consultation.slug)).all()
        raise ReleaseError(
            _(
                "Unknown consultation %(slug)s; valid values: %(valid)s.",
                slug=repr(slug),
                valid=", ".join(slugs) or _("none yet"),
            )
        )
    return found


def _conditions(consultation: Consultation, period: Period) -> list[ColumnElement[bool]]:
    """The forwarded inputs of the period that may leave the EU institutions."""
    return [
        Input.consultation_id == consultation.id,
        Input.status.in_([str(s) for s in FORWARDED_STATUSES]),
        Input.merged_into_id.is_(None),
        Input.attribution != str(Attribution.EU_ONLY),
        Input.priority_slug.is_not(None),
        Input.forwarded_at >= period.starts,
        Input.forwarded_at < period.ends,
    ]


def _frozen_inputs(consultation: Consultation, period: Period) -> list[Frozen]:
    """The inputs of the release with their countries, in one statement (one row per country).

    An input without a country cannot be placed in the matrix and is left out.
    """
    rows = db.session.execute(
        select(
            Input.id,
            Input.organisation_id,
            Input.priority_slug,
            Input.attribution,
            Input.forwarded_at,
            InputCountry.country_code,
        )
        .join(InputCountry, InputCountry.input_id == Input.id)
        .where(*_conditions(consultation, period))
        .order_by(Input.id, InputCountry.position)
    )
    frozen: list[Frozen] = []
    for _id, group in groupby(rows, key=itemgetter(0)):
        first, *rest = group
        frozen.append(
            Frozen(
                first.id,
                first.organisation_id,
                first.priority_slug,
                (first.country_code, *(r.country_code for r in rest)),
                first.attribution,
                first.forwarded_at,
            )
        )
    return frozen


def _unnamed_organisations(consultation: Consultation) -> set[uuid.UUID]:
    """Organisations with a non-attributable input anywhere in the consultation.

    Naming is decided over all of an organisation's inputs, whatever their
    status or month, never over the inputs one release or one filter covers:
    a name next to its attributable inputs would point at the others.
    """
    return set(
        db.session.scalars(
            select(Input.organisation_id)
            .where(
                Input.consultation_id == consultation.id,
                Input.attribution == str(Attribution.NON_ATTRIBUTABLE),
                Input.status != str(Status.DRAFT),
            )
            .distinct()
        )
    )


def _columns(consultation: Consultation, reference: Reference, used: set[str]) -> tuple[str, ...]:
    """Every country of the consultation's scope, whether or not it has inputs.

    Columns never depend on the inputs, or a column that exists because of
    one small cell would name its country. An input about a country outside
    the scope (the scope was narrowed later) widens it to every country.
    """
    scope = set(
        db.session.scalars(
            select(consultation_countries.c.country_code).where(
                consultation_countries.c.consultation_id == consultation.id
            )
        )
    )
    codes = scope if scope and used <= scope else set(reference.countries)
    regions = list(reference.regions)

    def order(code: str) -> tuple[int, str]:
        name, region = reference.countries.get(code, (code, ""))
        return (regions.index(region) if region in regions else len(regions), name)

    return tuple(sorted(codes, key=order))


def _earlier(consultation: Consultation) -> list[PublishedRelease]:
    """The earlier releases of the consultation, as the audit reads them."""
    earlier: list[PublishedRelease] = []
    releases = db.session.scalars(
        select(Release).where(Release.consultation_id == consultation.id).order_by(Release.number)
    ).all()
    for release in releases:
        tables = release.tables
        columns = tuple(tables["columns"])
        region_of = tables["regions"]
        rows: dict[str, PublishedRow] = {}
        for priority, states in tables["cells"].items():
            row = PublishedRow(withheld=bool(tables["rows"][priority]["withheld"]))
            for code, state in states.items():
                if state[0] == "value":
                    row.visible[code] = state[1]
                elif state[0] == "fewer":
                    row.fewer.add(code)
                else:
                    row.hidden.add(code)
            rows[priority] = row
        listed: list[ListedInput] = []
        for item in db.session.execute(
            select(
                ReleaseInput.input_id,
                ReleaseInput.priority_slug,
                ReleaseInput.countries,
                ReleaseInput.regions,
            ).where(ReleaseInput.release_id == release.id)
        ):
            key = str(item.input_id) if item.input_id else f"gone-{uuid.uuid4()}"
            if item.countries:
                listed.append(ListedInput(key, item.priority_slug, tuple(item.countries)))
            else:
                wanted = set(item.regions)
                candidates = tuple(
                    c for c in columns if WIDE in wanted or region_of.get(c) in wanted
                )
                listed.append(ListedInput(key, item.priority_slug, None, candidates))
        primary = {(cell["priority"], cell["country"]) for cell in release.audit["primary"]}
        earlier.append(PublishedRelease(f"#{release.number}", columns, rows, listed, primary))
    return earlier


def _protect(
    frozen: list[Frozen],
    columns: tuple[str, ...],
    reference: Reference,
    k: int,
    earlier: list[PublishedRelease],
    number: int,
) -> tuple[Protection, dict[tuple[str, str], CellCount]]:
    organisations: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    inputs: Counter[tuple[str, str]] = Counter()
    for item in frozen:
        for code in item.countries:
            inputs[(item.priority, code)] += 1
            organisations[(item.priority, code)].add(item.organisation_id)
    cells = {key: CellCount(n, len(organisations[key])) for key, n in inputs.items()}
    protector = Protector(
        cells,
        [Candidate(str(f.id), f.priority, f.countries) for f in frozen],
        columns,
        lambda code: reference.countries.get(code, ("", ""))[1],
        k,
        earlier,
        name=f"#{number}",
    )
    return protector.protect(), cells


def _tables(
    protection: Protection,
    cells: dict[tuple[str, str], CellCount],
    reference: Reference,
    listed: list[dict[str, Any]],
    organisations_by_priority: dict[str, set[uuid.UUID]],
) -> dict[str, Any]:
    """The published tables: the matrix with its pattern, and counts of the listed inputs."""
    states: dict[str, dict[str, list[Any]]] = {}
    rows: dict[str, dict[str, Any]] = {}
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    by_theme: dict[str, Counter[str]] = defaultdict(Counter)
    by_addressee: dict[str, Counter[str]] = defaultdict(Counter)
    for item in listed:
        priority = item["priority_slug"]
        by_type[priority][item["type_slug"] or ""] += 1
        for theme in item["themes"]:
            by_theme[priority][theme] += 1
        for addressee, _text in item["recommendations"]:
            by_addressee[priority][addressee] += 1
    listed_per_priority = Counter(item["priority_slug"] for item in listed)
    organisations_per_priority = {
        priority: len(orgs) for priority, orgs in organisations_by_priority.items()
    }
    visible_countries: set[str] = set()
    for priority in reference.priorities:
        plan = protection.rows.get(priority)
        row: dict[str, list[Any]] = {}
        for code in protection.columns:
            if plan and code in plan.primary | plan.masked:
                row[code] = ["fewer"]
            elif plan and code in plan.secondary:
                row[code] = ["hidden"]
            else:
                count = cells.get((priority, code), CellCount(0, 0)).inputs
                row[code] = ["value", count]
                if count:
                    visible_countries.add(code)
        states[priority] = row
        withheld = bool(plan and plan.withheld)
        rows[priority] = {
            "total": None if withheld else listed_per_priority.get(priority, 0),
            "organisations": None if withheld else organisations_per_priority.get(priority, 0),
            "wide": bool(plan and plan.wide),
            "withheld": withheld,
        }
    return {
        "columns": list(protection.columns),
        "regions": {code: reference.countries[code][1] for code in protection.columns},
        "cells": states,
        "rows": rows,
        "by_type": {p: dict(c) for p, c in by_type.items()},
        "by_theme": {p: dict(c) for p, c in by_theme.items()},
        "by_addressee": {p: dict(c) for p, c in by_addressee.items()},
        "totals": {
            "inputs": len(listed),
            "organisations": len(set().union(*organisations_by_priority.values())),
            "countries": len(visible_countries),
            "recommendations": sum(len(item["recommendations"]) for item in listed),
        },
        "inputs_withheld": any(r["withheld"] for r in rows.values()),
    }


def _rows(
    consultation: Consultation, period: Period, wanted: dict[uuid.UUID, Frozen]
) -> Iterator[InputRow]:
    """The texts of the ``wanted`` inputs: one streamed statement, by the release's conditions.

    An input that no longer matches them (withdrawn or merged since it was
    counted, a moment ago) is read by its id, so that every input the tables
    count is listed.
    """
    seen: set[uuid.UUID] = set()
    for batch in stream_input_rows(*_conditions(consultation, period)):
        rows = [row for row in batch if row.id in wanted]
        progress.advance(len(rows))
        seen.update(row.id for row in rows)
        yield from rows
    missing = [input_id for input_id in wanted if input_id not in seen]
    for start in range(0, len(missing), BATCH):
        rows = input_columns_for_ids(missing[start : start + BATCH])
        progress.advance(len(rows))
        yield from rows


@dataclass(frozen=True)
class _Placement:
    """Where the release places an input: its countries, or its region(s) and their places."""

    region_level: bool
    regions: tuple[str, ...] = ()
    #: The countries whose place names its texts must not say.
    withheld_places: tuple[str, ...] = ()


def _placement(
    item: Frozen, protection: Protection, columns: tuple[str, ...], reference: Reference
) -> _Placement:
    if not protection.region_level(item.priority, item.countries):
        return _Placement(False)
    plan = protection.rows.get(item.priority)
    if plan is None:
        return _Placement(True)
    if plan.wide:
        return _Placement(True, (WIDE,), columns)
    regions = tuple(dict.fromkeys(reference.countries[code][1] for code in item.countries))
    places = tuple(c for c in columns if reference.countries[c][1] in regions)
    return _Placement(True, regions, places)


def _work(item: Frozen, row: InputRow, placement: _Placement) -> Work:
    """The texts of an input to scrub: title, body, summary, then each recommendation."""
    values = (row.title, row.body, row.summary, *(text for _slug, text in row.recommendations))
    return values, item.countries, placement.withheld_places


def _listed(
    item: Frozen, row: InputRow, placement: _Placement, named: bool, texts: tuple[str, ...]
) -> dict[str, Any]:
    """One ``release_inputs`` row (without its release, reference and position).

    ``texts`` are the input's texts scrubbed, in the order of :func:`_work`.
    """
    title, body, summary, *recommendations = texts
    return {
        "input_id": item.id,
        "priority_slug": item.priority,
        "type_slug": row.type_slug,
        "level_slug": row.level_slug,
        "countries": [] if placement.region_level else list(item.countries),
        "regions": list(placement.regions),
        "organisation_name": row.organisation_name if named else None,
        "themes": list(row.theme_slugs),
        "title": title,
        "body": body,
        "summary": summary,
        "recommendations": [
            [slug, text]
            for (slug, _raw), text in zip(row.recommendations, recommendations, strict=True)
        ],
        "forwarded_month": item.forwarded_at.strftime("%Y-%m"),
        "region_level": placement.region_level,
    }


_Entry = tuple[Frozen, InputRow, _Placement]


def _entries(
    rows: Iterator[InputRow],
    wanted: dict[uuid.UUID, Frozen],
    protection: Protection,
    columns: tuple[str, ...],
    reference: Reference,
) -> Iterator[tuple[_Entry, Work]]:
    """Each input to list, with where it is placed and the texts to scrub."""
    placements: dict[tuple[str, tuple[str, ...]], _Placement] = {}
    for row in rows:
        item = wanted[row.id]
        key = (item.priority, item.countries)
        placement = placements.get(key)
        if placement is None:
            placement = placements[key] = _placement(item, protection, columns, reference)
        yield (item, row, placement), _work(item, row, placement)


def _list(
    entries: Iterator[tuple[_Entry, Work]], unnamed: set[uuid.UUID], total: int
) -> tuple[list[dict[str, Any]], dict[str, set[uuid.UUID]]]:
    """The release's rows, scrubbed, and the organisations listed per priority."""
    codes = _reference_codes(total)
    listed: list[dict[str, Any]] = []
    organisations: dict[str, set[uuid.UUID]] = defaultdict(set)
    progress.set_total(total)
    cleaner = Cleaner(ExternalText())
    for (item, row, placement), work in entries:
        texts = cleaner.work(work)
        named = item.attribution == Attribution.ATTRIBUTABLE and item.organisation_id not in unnamed
        listed.append({"reference": next(codes), **_listed(item, row, placement, named, texts)})
        organisations[item.priority].add(item.organisation_id)
    return listed, organisations


def _insert_listed(release: Release, listed: list[dict[str, Any]]) -> None:
    """Store the release's inputs: ``COPY`` on PostgreSQL, multi-row INSERTs elsewhere.

    The ORM's unit of work would fetch every row's new id back (RETURNING) and
    track each object; nothing reads them again in this transaction (bench B8).
    """
    for item in listed:
        item["release_id"] = release.id
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, ReleaseInput.__table__, listed)
        return
    for start in range(0, len(listed), INSERT_BATCH):
        connection.execute(insert(ReleaseInput.__table__), listed[start : start + INSERT_BATCH])


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``COPY`` the rows, each value bound as an INSERT binds it (the JSON columns alike)."""
    if not rows:
        return
    names = list(rows[0])
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    quoted = ", ".join(f'"{name}"' for name in names)
    raw = connection.connection.driver_connection
    # Table and column names come from the model, never from input.
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [
                    process(row[name]) if process else row[name]
                    for name, process in zip(names, processors, strict=True)
                ]
            )


def _reference_codes(count: int) -> Iterator[str]:
    seen: set[str] = set()
    while len(seen) < count:
        code = "R-" + secrets.token_hex(5).upper()
        if code not in seen:
            seen.add(code)
            yield code


def _nothing_to_publish(consultation: Consultation, period: Period) -> ReleaseError:
    return ReleaseError(
        _(
            "No forwarded input of %(slug)s may leave the EU institutions in "
            "%(period)s: there is nothing to publish.",
            slug=repr(consultation.slug),
            period=period.describe(),
        )
    )


def check_publishable(
    consultation_slug: str, period: str | None = None, now: datetime | None = None
) -> None:
    """Refuse at once what :func:`create_release` would refuse, in a few cheap statements.

    Publication may wait on the job queue; asked first, an unknown consultation,
    a period that is not whole months over, or a period with nothing to publish
    is answered where it was asked (beside the field, or a 422), not as a job
    that fails later.
    """
    consultation = _consultation(consultation_slug)
    chosen = resolve_period(period, consultation, now or utcnow())
    first = db.session.scalar(
        select(Input.id)
        .join(InputCountry, InputCountry.input_id == Input.id)
        .where(*_conditions(consultation, chosen))
        .limit(1)
    )
    if first is None:
        raise _nothing_to_publish(consultation, chosen)


def create_release(
    consultation_slug: str,
    actor: Any = None,
    period: str | None = None,
    now: datetime | None = None,
) -> Release:
    """Publish the next release of a consultation; the caller commits."""
    consultation = _consultation(consultation_slug)
    now = now or utcnow()
    chosen = resolve_period(period, consultation, now)
    reference = Reference.load()
    k = int(current_app.config.get("DIGEST_MIN_GROUP_SIZE", 3))
    frozen = _frozen_inputs(consultation, chosen)
    if not frozen:
        raise _nothing_to_publish(consultation, chosen)
    used = {code for item in frozen for code in item.countries}
    columns = _columns(consultation, reference, used)
    earlier = _earlier(consultation)
    number = len(earlier) + 1
    protection, cells = _protect(frozen, columns, reference, k, earlier, number)
    unnamed = _unnamed_organisations(consultation)
    # Inputs withheld from the release are never read again, let alone scrubbed.
    wanted = {
        item.id: item for item in frozen if not protection.withholds(item.priority, item.countries)
    }
    entries = _entries(_rows(consultation, chosen, wanted), wanted, protection, columns, reference)
    listed, organisations = _list(entries, unnamed, len(wanted))
    rank = {priority: index for index, priority in enumerate(reference.priorities)}
    listed.sort(key=lambda r: (rank[r["priority_slug"]], r["reference"]))
    for position, entry in enumerate(listed):
        entry["position"] = position
    intervals = [i.as_dict() for i in protection.intervals]
    release = Release(
        consultation_id=consultation.id,
        number=number,
        period_start=chosen.first,
        period_end=chosen.last,
        k=k,
        published_at=now.replace(microsecond=0),
        published_by_id=getattr(actor, "id", None),
        input_count=len(listed),
        tables=_tables(protection, cells, reference, listed, organisations),
        audit={
            "k": k,
            "rounds": protection.rounds,
            "passes": all(i["passes"] for i in intervals),
            "audited_with": [e.name for e in earlier],
            "primary": [
                {"priority": p, "country": c}
                for p, plan in sorted(protection.rows.items())
                for c in sorted(plan.primary)
            ],
            "secondary": sum(len(plan.secondary) for plan in protection.rows.values()),
            "wide": sorted(p for p, plan in protection.rows.items() if plan.wide),
            "withheld": sorted(p for p, plan in protection.rows.items() if plan.withheld),
            "intervals": intervals,
        },
    )
    db.session.add(release)
    db.session.flush()
    _insert_listed(release, listed)
    record(
        "release.published",
        actor,
        release,
        consultation=consultation.slug,
        number=number,
        period=f"{chosen.first}..{chosen.last}",
        k=k,
        inputs=len(listed),
    )
    return release


def releases_of(consultation_slug: str | None = None) -> list[Release]:
    """Published releases, newest first (of one consultation, or of all)."""
    stmt = (
        select(Release)
        .join(Consultation)
        .order_by(Release.published_at.desc(), Release.number.desc())
    )
    if consultation_slug:
        stmt = stmt.where(Consultation.slug == consultation_slug)
    return list(db.session.scalars(stmt))
