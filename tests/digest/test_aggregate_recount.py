"""The digest's counts, as the page shows them, equal a plain recount of the inputs.

``aggregate`` sums most figures from ``digest_counts`` (kept by triggers) and
counts the others with ``GROUP BY``; it also derives the number of countries
and of recommendations from its grouped figures. This recounts everything in
Python from the rows, for the filters the digest page offers, through both
paths (``use_counters`` on and off), and again after every kind of change the
triggers must follow: forwards, withdrawals, merges, edits of priority, type,
date, countries, themes and recommendations, deletions and purges.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from consult.cli.load import generate_load
from consult.digest import counters
from consult.digest.counters import DigestCount
from consult.digest.filters import DigestFilters, parse_filters
from consult.digest.query import Aggregates, aggregate
from consult.extensions import db
from consult.inputs.models import Input, InputCountry, Recommendation, input_themes
from consult.inputs.states import FORWARDED_STATUSES, Status
from consult.maintenance.retention import PurgeReport, delete_inputs
from consult.reference.models import Country

FORWARDED = [str(s) for s in FORWARDED_STATUSES]


def _links() -> tuple[dict, dict, dict]:
    """Each input's countries, themes and recommendations' addressees."""
    countries: dict[Any, set[str]] = {}
    for input_id, code in db.session.execute(
        select(InputCountry.input_id, InputCountry.country_code)
    ):
        countries.setdefault(input_id, set()).add(code)
    themes: dict[Any, set[str]] = {}
    for input_id, slug in db.session.execute(
        select(input_themes.c.input_id, input_themes.c.theme_slug)
    ):
        themes.setdefault(input_id, set()).add(slug)
    addressees: dict[Any, list[str]] = {}
    for input_id, slug in db.session.execute(
        select(Recommendation.input_id, Recommendation.addressee_slug)
    ):
        addressees.setdefault(input_id, []).append(slug)
    return countries, themes, addressees


def _matches(item: Input, filters: DigestFilters, countries: set[str], themes: set[str]) -> bool:
    region_of = dict(db.session.execute(select(Country.code, Country.region_slug)).all())
    day = item.forwarded_at.date() if item.forwarded_at else None
    return (
        (not filters.consultation or item.consultation.slug == filters.consultation)
        and (not filters.priority or item.priority_slug == filters.priority)
        and (not filters.type or item.type_slug == filters.type)
        and (not filters.country or filters.country in countries)
        and (not filters.region or filters.region in {region_of[c] for c in countries})
        and (not filters.theme or filters.theme in themes)
        and (filters.since is None or (day is not None and day >= filters.since))
        and (filters.until is None or (day is not None and day <= filters.until))
    )


def _recount(filters: DigestFilters) -> dict[str, Any]:
    """Every figure of ``Aggregates``, counted in Python from the rows."""
    countries, themes, addressees = _links()
    inputs = [
        i
        for i in db.session.scalars(select(Input).where(Input.status.in_(FORWARDED)))
        if i.merged_into_id is None
        and _matches(i, filters, countries.get(i.id, set()), themes.get(i.id, set()))
    ]
    cell_inputs: Counter = Counter()
    cell_orgs: dict[tuple[str, str], set] = {}
    priority_orgs: dict[str, set] = {}
    by_type: Counter = Counter()
    by_theme: Counter = Counter()
    by_addressee: Counter = Counter()
    for i in inputs:
        p = i.priority_slug
        for code in countries.get(i.id, ()):
            if p:
                cell_inputs[(p, code)] += 1
                cell_orgs.setdefault((p, code), set()).add(i.organisation_id)
        if p:
            priority_orgs.setdefault(p, set()).add(i.organisation_id)
            if i.type_slug:
                by_type[(p, i.type_slug)] += 1
            by_theme.update((p, t) for t in themes.get(i.id, ()))
            by_addressee.update((p, a) for a in addressees.get(i.id, ()))
    return {
        "inputs": len(inputs),
        "organisations": len({i.organisation_id for i in inputs}),
        "countries": len({code for i in inputs for code in countries.get(i.id, ())}),
        "recommendations": sum(len(addressees.get(i.id, ())) for i in inputs),
        "cells": {key: (n, len(cell_orgs[key])) for key, n in cell_inputs.items()},
        "by_priority": {
            p: (sum(1 for i in inputs if i.priority_slug == p), len(orgs))
            for p, orgs in priority_orgs.items()
        },
        "by_type": dict(by_type),
        "by_theme": dict(by_theme),
        "by_addressee": dict(by_addressee),
    }


def _figures(agg: Aggregates) -> dict[str, Any]:
    """``agg`` in the shape of ``_recount``."""

    def flat(table: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
        return {(p, slug): n for p, row in table.items() for slug, n in row.items()}

    return {
        "inputs": agg.inputs,
        "organisations": agg.organisations,
        "countries": agg.countries,
        "recommendations": agg.recommendations,
        "cells": {key: (c.inputs, c.organisations) for key, c in agg.cells.items()},
        "by_priority": {p: (c.inputs, c.organisations) for p, c in agg.by_priority.items()},
        "by_type": flat(agg.by_type),
        "by_theme": flat(agg.by_theme),
        "by_addressee": flat(agg.by_addressee),
    }


def _busiest(column: Any) -> str:
    return Counter(db.session.scalars(select(column))).most_common(1)[0][0]


def _forwarded_days() -> list[date]:
    return sorted(
        {d.date() for d in db.session.scalars(select(Input.forwarded_at)) if d is not None}
    )


def _queries() -> list[dict[str, str]]:
    """The filters to check: the page's common ones, alone and combined."""
    days = _forwarded_days()
    middle = days[len(days) // 2].isoformat()
    country = _busiest(InputCountry.country_code)
    region = db.session.scalar(select(Country.region_slug).where(Country.code == country))
    return [
        {},
        {"consultation": "generated-load"},
        {"consultation": "second-load", "priority": "ssr"},
        {"consultation": "generated-load", "priority": "ssr", "type": "recommendation"},
        {"priority": "ssr"},
        {"type": "recommendation"},
        {"since": middle},
        {"until": middle, "priority": "ssr"},
        {"since": days[0].isoformat(), "until": middle},
        {"country": country},
        {"region": region},
        {"theme": _busiest(input_themes.c.theme_slug)},
    ]


def _check_every_figure() -> None:
    """Both paths equal the recount, for every query; the counters match a rebuild."""
    for query in _queries():
        filters = parse_filters(query)
        expected = _recount(filters)
        for use_counters in (True, False):
            assert _figures(aggregate(filters, use_counters=use_counters)) == expected, (
                query,
                use_counters,
            )
    _assert_counters_equal_a_rebuild()


def _counter_rows() -> set[tuple]:
    return {
        tuple(row)
        for row in db.session.execute(select(DigestCount.__table__).where(DigestCount.n != 0))
    }


def _assert_counters_equal_a_rebuild() -> None:
    """What the triggers kept equals what ``recount`` builds from the rows (savepoint)."""
    kept = _counter_rows()
    assert all(row[-1] > 0 for row in kept), "a counter below zero"
    nested = db.session.begin_nested()
    counters.recount(db.session.connection())
    rebuilt = _counter_rows()
    nested.rollback()
    assert kept == rebuilt


@pytest.fixture
def load(app):
    """Two consultations sharing organisations: their distinct counts do not add up."""
    generate_load(400, seed=5)
    generate_load(150, seed=6, consultation="second-load")
    db.session.commit()


def test_the_counts_equal_a_recount(load):
    everything = _recount(DigestFilters())
    assert everything["inputs"] > 100
    shared = (
        _recount(parse_filters({"consultation": "generated-load"}))["organisations"]
        + (_recount(parse_filters({"consultation": "second-load"}))["organisations"])
    )
    assert everything["organisations"] < shared  # the same organisations in both
    _check_every_figure()


def test_the_page_reads_counters_for_the_filters_they_keep(load):
    everything = aggregate(parse_filters({"consultation": "generated-load", "priority": "ssr"}))
    assert set(everything.sources.values()) == {"counters"}
    for query in ({"since": _forwarded_days()[1].isoformat()}, {"type": "recommendation"}):
        assert aggregate(parse_filters(query)).sources == {
            "by_type": "counters",
            "totals": "rows",  # distinct organisations are kept per consultation and priority
            "cells": "rows",
            "by_theme": "counters",
            "by_addressee": "counters",
        }
    country = aggregate(parse_filters({"country": _busiest(InputCountry.country_code)}))
    assert set(country.sources.values()) == {"rows"}
    assert set(aggregate(DigestFilters(), use_counters=False).sources.values()) == {"rows"}


def _some(status: list[str], n: int, offset: int = 0) -> list[Input]:
    return list(
        db.session.scalars(
            select(Input).where(Input.status.in_(status)).order_by(Input.id).offset(offset).limit(n)
        )
    )


def _forward_and_withdraw() -> None:
    for item in _some([Status.SUBMITTED, Status.IN_REVIEW], 5):
        item.status = Status.FORWARDED
        item.forwarded_at = item.submitted_at
    for item in _some(FORWARDED, 3):
        item.status = Status.WITHDRAWN
    item = _some([Status.FORWARDED], 1)[0]
    item.status = Status.USED  # still forwarded: nothing moves


def _merge() -> None:
    duplicate, target = _some([Status.FORWARDED], 2, offset=4)
    duplicate.merged_into_id = target.id
    _some([Status.FORWARDED], 1, offset=9)[0].merged_into_id = duplicate.id
    db.session.flush()
    duplicate.merged_into_id = None  # un-merged: counted again


def _edit_inputs() -> None:
    first, second, third, fourth = _some(FORWARDED, 4, offset=12)
    first.priority_slug = "terrorism" if first.priority_slug != "terrorism" else "ssr"
    second.type_slug = None
    third.priority_slug = None
    fourth.forwarded_at = fourth.forwarded_at + timedelta(days=3)
    _some(FORWARDED, 1, offset=16)[0].forwarded_at = None


def _other(slug: str, used: set[str], choices: list[str]) -> str:
    return next(c for c in choices if c != slug and c not in used)


def _edit_links() -> None:
    """Countries replaced and re-pointed, themes removed, added and moved, recommendations
    re-addressed, added and deleted: every link trigger, insert, delete and update."""
    items = _some(FORWARDED, 6, offset=20)
    countries, themes, _addressees = _links()
    codes = list(db.session.scalars(select(Country.code).order_by(Country.code)))
    first, second, third, fourth, fifth, sixth = items
    db.session.execute(delete(InputCountry).where(InputCountry.input_id == first.id))
    db.session.execute(
        insert(InputCountry),
        [{"input_id": first.id, "country_code": c, "position": i} for i, c in enumerate(codes[:2])],
    )
    db.session.execute(
        update(InputCountry)
        .where(InputCountry.input_id == second.id, InputCountry.position == 0)
        .values(country_code=_other("", countries.get(second.id, set()), codes))
    )
    db.session.execute(delete(input_themes).where(input_themes.c.input_id == third.id))
    if "gender" not in themes.get(fourth.id, set()):
        db.session.execute(insert(input_themes).values(input_id=fourth.id, theme_slug="gender"))
    movable = themes.get(fifth.id, set()) - themes.get(sixth.id, set())
    db.session.execute(
        update(input_themes)
        .where(input_themes.c.input_id == fifth.id, input_themes.c.theme_slug.in_(movable))
        .values(input_id=sixth.id)
    )
    recommendation = db.session.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    recommendation.addressee_slug = _other(recommendation.addressee_slug, set(), ["eu", "eud"])
    db.session.add(Recommendation(input_id=first.id, addressee_slug="eu", text="More", position=9))
    db.session.delete(
        db.session.scalars(select(Recommendation).order_by(Recommendation.id).offset(3)).first()
    )


def _delete_and_purge() -> None:
    db.session.delete(_some(FORWARDED, 1, offset=30)[0])
    db.session.flush()
    db.session.execute(delete(Input).where(Input.id == _some(FORWARDED, 1, offset=31)[0].id))
    targets = [i.id for i in _some(FORWARDED, 3, offset=40)]
    duplicate = _some([Status.SUBMITTED], 1)[0]
    duplicate.merged_into_id = targets[0]
    db.session.flush()
    delete_inputs(targets, PurgeReport())  # the duplicate is un-merged, not forwarded


@pytest.mark.parametrize(
    "change", [_forward_and_withdraw, _merge, _edit_inputs, _edit_links, _delete_and_purge]
)
def test_the_counts_follow_every_change(load, change):
    before = _figures(aggregate(DigestFilters()))
    change()
    db.session.commit()
    db.session.expire_all()
    assert _figures(aggregate(DigestFilters())) != before
    _check_every_figure()


def test_a_rolled_back_change_leaves_the_counts(load):
    kept = _counter_rows()
    _forward_and_withdraw()
    _edit_inputs()
    db.session.flush()
    assert _counter_rows() != kept
    db.session.rollback()
    assert _counter_rows() == kept


def test_recount_repairs_the_counters(load):
    expected = _counter_rows()
    db.session.execute(delete(DigestCount).where(DigestCount.kind == "country-organisations"))
    db.session.execute(update(DigestCount).values(n=DigestCount.n + 1))
    counters.recount(db.session.connection())
    assert _counter_rows() == expected


def test_the_migration_installs_the_triggers_of_the_module():
    """Migration 9c4b2e7d1f53 carries its own copy of the statements; while they are the
    module's, a database built by migrations counts as one built by ``create_all``.
    When the module changes, this fails: write a migration that installs the new ones."""
    path = Path(__file__).parents[2] / "migrations" / "versions" / "9c4b2e7d1f53_digest_counts.py"
    spec = importlib.util.spec_from_file_location("digest_counts_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration._postgresql_ddl() == counters._postgresql_ddl()
    assert migration._sqlite_ddl() == counters._sqlite_ddl()
