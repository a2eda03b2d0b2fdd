"""The digest's counts, as the page shows them, equal a plain recount of the inputs.

``aggregate`` derives the number of countries and of recommendations from its
grouped queries instead of counting them again; this recounts everything from
the rows, for the filters the digest page offers.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from consult.cli.load import generate_load
from consult.digest.filters import parse_filters
from consult.digest.query import aggregate
from consult.extensions import db
from consult.inputs.models import Input, InputCountry, Recommendation, input_themes
from consult.inputs.states import FORWARDED_STATUSES


def _recount(keep) -> dict:
    forwarded = [str(s) for s in FORWARDED_STATUSES]
    inputs = [
        i
        for i in db.session.scalars(select(Input).where(Input.status.in_(forwarded)))
        if i.merged_into_id is None and keep(i)
    ]
    ids = {i.id for i in inputs}
    countries = {
        (input_id, code)
        for input_id, code in db.session.execute(
            select(InputCountry.input_id, InputCountry.country_code)
        )
        if input_id in ids
    }
    recommendations = [
        (input_id, addressee)
        for input_id, addressee in db.session.execute(
            select(Recommendation.input_id, Recommendation.addressee_slug)
        )
        if input_id in ids
    ]
    themes = [
        (input_id, slug)
        for input_id, slug in db.session.execute(
            select(input_themes.c.input_id, input_themes.c.theme_slug)
        )
        if input_id in ids
    ]
    priority = {i.id: i.priority_slug for i in inputs}
    return {
        "inputs": len(inputs),
        "organisations": len({i.organisation_id for i in inputs}),
        "countries": len({code for _id, code in countries}),
        "recommendations": len(recommendations),
        "cells": Counter((priority[i], code) for i, code in countries if priority[i]),
        "by_addressee": Counter((priority[i], a) for i, a in recommendations if priority[i] and a),
        "by_theme": Counter((priority[i], t) for i, t in themes if priority[i]),
    }


@pytest.mark.parametrize(
    "query",
    [{}, {"priority": "ssr"}, {"country": "busiest"}, {"type": "recommendation"}],
)
def test_the_counts_equal_a_recount(app, query):
    generate_load(400, seed=5)
    db.session.commit()
    if query.get("country") == "busiest":  # drawn from the seed
        query = {
            "country": Counter(db.session.scalars(select(InputCountry.country_code))).most_common(
                1
            )[0][0]
        }
    agg = aggregate(parse_filters(query))
    country_of = {}
    for input_id, code in db.session.execute(
        select(InputCountry.input_id, InputCountry.country_code)
    ):
        country_of.setdefault(input_id, set()).add(code)

    def keep(item: Input) -> bool:
        if query.get("priority") and item.priority_slug != query["priority"]:
            return False
        if query.get("type") and item.type_slug != query["type"]:
            return False
        return not query.get("country") or query["country"] in country_of.get(item.id, set())

    expected = _recount(keep)
    assert expected["inputs"] > 0
    assert agg.inputs == expected["inputs"]
    assert agg.organisations == expected["organisations"]
    assert agg.countries == expected["countries"]
    assert agg.recommendations == expected["recommendations"]
    assert {key: cell.inputs for key, cell in agg.cells.items()} == dict(expected["cells"])
    assert {(p, a): n for p, row in agg.by_addressee.items() for a, n in row.items()} == dict(
        expected["by_addressee"]
    )
    assert {(p, t): n for p, row in agg.by_theme.items() for t, n in row.items()} == dict(
        expected["by_theme"]
    )
