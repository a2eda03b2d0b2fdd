"""An attacker in the test suite: random consultations, every external download, three attacks.

A seeded generator builds consultations that cover the edges: regions with a
single country in scope, organisations with mixed attribution, cells of
exactly k-1 and k organisations, inputs about two countries, merged
duplicates, EU-staff-only inputs, and a second release after more inputs
were forwarded. For every release, every allowed external filter combination
is downloaded, then the attacker tries:

1. to link a non-attributable input to an organisation: through any name,
   label, place or reference that differs between downloads;
2. to narrow a small cell below k: the attacker builds its own linear
   constraints from the downloaded bytes of every release (visible cells,
   listed inputs and their places, hidden cells, totals) and bounds each
   small cell by linear programming;
3. to recover a date finer than a month, within and across releases.

Zero successes is the bar.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import product

import pytest
from openpyxl import load_workbook

from consult.digest.releases.audit import ListedInput, PublishedRelease, PublishedRow, audit
from consult.digest.releases.models import Release
from consult.digest.releases.publishing import create_release
from consult.digest.services import parse_filters, render_digest
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Attribution, Status
from consult.reference.models import Country
from tests import factories

K = 3
SOUTH = ["DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN"]
EAST = ["AM", "AZ", "BY", "GE", "MD", "UA"]
PRIORITIES = ["ssr", "terrorism", "crisis"]
SEEDS = [1, 2, 3]


@dataclass
class World:
    slug: str
    scope: list[str]
    org_names: dict[str, str] = field(default_factory=dict)  # org id -> name
    unnamed_orgs: set[str] = field(default_factory=set)  # names that must never appear
    #: title -> (org name, attribution, priority, countries, forwarded month)
    truth: dict[str, tuple[str, str, str, tuple[str, ...], str]] = field(default_factory=dict)


def _scope(rng: random.Random) -> list[str]:
    kind = rng.choice(["all", "one-east", "few"])
    if kind == "all":
        return SOUTH + EAST
    if kind == "one-east":
        return rng.sample(SOUTH, 4) + [rng.choice(EAST)]
    return rng.sample(SOUTH, 2) + rng.sample(EAST, 2)


def build_world(seed: int) -> World:
    """A random consultation with two months of forwarded inputs (Jan and Feb 2027)."""
    rng = random.Random(seed)
    scope = _scope(rng)
    slug = f"attack-{seed}"
    consultation = factories.make_consultation(slug, countries=scope, title=f"Attack {seed}")
    world = World(slug, scope)
    orgs = []
    for index in range(rng.randint(5, 9)):
        home = rng.sample(scope, 1)
        name = f"Org{seed}x{index} Civic Network"
        org = factories.make_organisation(name, home, email=f"desk{index}@org{seed}.example.org")
        user = factories.make_user(
            f"m{index}@org{seed}.example.org", "cso", organisation=org, full_name=f"Member {index}"
        )
        orgs.append((org, user, home))
        world.org_names[str(org.id)] = name

    plan: list[tuple[int, str, list[str], str, int]] = []  # org, priority, countries, attr, month
    # A cell of exactly k-1 and a cell of exactly k organisations.
    small, large = rng.sample(scope, 2) if len(scope) > 1 else (scope[0], scope[0])
    for index in range(K - 1):
        plan.append((index, "ssr", [small], Attribution.NON_ATTRIBUTABLE, 1))
    for index in range(K):
        plan.append((index, "terrorism", [large], Attribution.NON_ATTRIBUTABLE, 1))
    for _ in range(rng.randint(12, 30)):
        org_index = rng.randrange(len(orgs))
        countries = rng.sample(scope, 2) if rng.random() < 0.2 else [rng.choice(scope)]
        attribution = rng.choices(
            [Attribution.NON_ATTRIBUTABLE, Attribution.ATTRIBUTABLE, Attribution.EU_ONLY],
            [6, 3, 1],
        )[0]
        plan.append((org_index, rng.choice(PRIORITIES), countries, attribution, rng.choice([1, 2])))
    # Some organisations send only attributable inputs: they are named.
    for index in rng.sample(range(len(orgs)), 2):
        plan.append((index, "crisis", [orgs[index][2][0]], Attribution.ATTRIBUTABLE, 1))
    only_named = set(range(len(orgs))) - {
        i for i, _p, _c, a, _m in plan if a == Attribution.NON_ATTRIBUTABLE
    }
    for number, (org_index, priority, countries, attribution, month) in enumerate(plan):
        org, user, _home = orgs[org_index]
        place = db.session.get(Country, countries[0]).name
        title = f"Finding {seed}-{number} on {place}"
        item = factories.make_input(
            consultation,
            user,
            countries=countries,
            status=Status.FORWARDED,
            priority=priority,
            attribution=attribution,
            title=title,
            body=f"Observed near the border of {place}; contact {org.name} for details.",
            recommendations=(("eu", f"Act in {place}."),),
        )
        item.forwarded_at = datetime(2027, month, 10 + number % 15, 9, 30)
        world.truth[title] = (
            org.name,
            str(attribution),
            priority,
            tuple(countries),
            f"2027-{month:02d}",
        )
    # A duplicate merged into another input: it never counts, never shows.
    first = db.session.scalars(
        db.select(Input).where(Input.consultation_id == consultation.id)
    ).first()
    duplicate = factories.make_input(
        consultation, orgs[0][1], status=Status.FORWARDED, title=f"DUPLICATE {seed}"
    )
    duplicate.merged_into_id = first.id
    duplicate.forwarded_at = datetime(2027, 1, 3)
    db.session.commit()
    world.unnamed_orgs = {orgs[i][0].name for i in range(len(orgs)) if i not in only_named}
    return world


def _download(fmt: str, **filters: str) -> bytes:
    part = filters.pop("part", "inputs")
    return b"".join(
        render_digest(
            fmt, parse_filters({**filters, "audience": "external"}), None, part=part, via="cli"
        ).chunks
    )


def _combinations(release: Release) -> list[dict[str, str]]:
    tables = release.tables
    columns = tables["columns"]
    regions = sorted(set(tables["regions"].values()))
    priorities = [None, *tables["cells"]]
    places: list[tuple[str, str] | None] = [None]
    places += [("region", r) for r in regions] + [("country", c) for c in columns]
    combos = []
    for priority, place in product(priorities, places):
        combo = {"consultation": release.consultation.slug, "release": str(release.number)}
        if priority:
            combo["priority"] = priority
        if place:
            combo[place[0]] = place[1]
        combos.append(combo)
    return combos


def _records(fmt: str, content: bytes) -> list[dict[str, str]]:
    """The input records of a CSV, JSON or XLSX download, as strings."""
    if fmt == "json":
        document = json.loads(content)
        return [
            {
                k: json.dumps(v, sort_keys=True) if not isinstance(v, str) else v
                for k, v in item.items()
            }
            for item in document["inputs"]
        ]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook["Inputs"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)}
        for row in rows[1:]
    ]


def _numbers(document: dict) -> dict[str, object]:
    """Every number a JSON head prints, keyed by what it counts."""
    found: dict[str, object] = {}
    for cell in document["matrix"]["cells"]:
        found[f"cell {cell['priority']} {cell['country']}"] = json.dumps(cell, sort_keys=True)
    for slug, total in document["matrix"]["priority_totals"].items():
        found[f"total {slug}"] = total
    for entry in document["priorities"]:
        found[f"priority {entry['priority']}"] = json.dumps(entry, sort_keys=True)
    for table, rows in document["by_priority"].items():
        for priority, counts in rows.items():
            found[f"{table} {priority}"] = json.dumps(counts, sort_keys=True)
    found["totals"] = json.dumps(document["totals"], sort_keys=True)
    found["release"] = json.dumps(document["release"], sort_keys=True)
    return found


@pytest.fixture
def worlds(app) -> list[World]:
    built = []
    for seed in SEEDS:
        world = build_world(seed)
        create_release(world.slug, None, "2027-01", now=datetime(2027, 3, 5))
        create_release(world.slug, None, "2027-01..2027-02", now=datetime(2027, 3, 6))
        db.session.commit()
        built.append(world)
    return built


def test_filtered_downloads_only_select_what_the_full_release_shows(worlds):
    """Attack 1 (and the projection property): no difference between downloads to exploit."""
    for world in worlds:
        for release in db.session.scalars(
            db.select(Release)
            .join(Release.consultation)
            .where(Release.consultation.has(slug=world.slug))
        ):
            full_doc = json.loads(
                _download("json", consultation=world.slug, release=str(release.number))
            )
            full_numbers = _numbers(full_doc)
            full = {
                fmt: _records(
                    fmt, _download(fmt, consultation=world.slug, release=str(release.number))
                )
                for fmt in ("json", "csv", "xlsx")
            }
            full_sets = {
                fmt: {json.dumps(r, sort_keys=True) for r in recs} for fmt, recs in full.items()
            }
            for combo in _combinations(release):
                document = json.loads(_download("json", **combo))
                for key, value in _numbers(document).items():
                    assert full_numbers.get(key) == value, (world.slug, combo, key)
                # Every combination in JSON and CSV; XLSX for the single filters.
                formats = ("json", "csv", "xlsx") if len(combo) <= 3 else ("json", "csv")
                for fmt in formats:
                    content = document if fmt == "json" else None
                    records = (
                        _records(fmt, _download(fmt, **combo))
                        if content is None
                        else _records("json", json.dumps(document).encode())
                    )
                    for record in records:
                        # Same reference, label, place, texts and month as in the full file.
                        assert json.dumps(record, sort_keys=True) in full_sets[fmt], (
                            world.slug,
                            combo,
                            fmt,
                            record.get("reference"),
                        )


def test_no_organisation_with_a_non_attributable_input_is_ever_named(worlds, text_parts):
    """Attack 1: naming is decided over all of an organisation's inputs, once."""
    for world in worlds:
        for release in db.session.scalars(
            db.select(Release).where(Release.consultation.has(slug=world.slug))
        ):
            base = {"consultation": world.slug, "release": str(release.number)}
            for fmt in ("csv", "json", "xlsx", "docx", "html"):
                for extra in ({}, {"priority": "ssr"}, {"region": "south"}):
                    try:
                        content = _download(fmt, **base, **extra)
                    except Exception as exc:  # a refused filter is a 400, never a leak
                        assert "region" in str(exc)
                        continue
                    text = "".join(text_parts(content).values()).lower()
                    for name in world.unnamed_orgs:
                        assert name.lower() not in text, (world.slug, fmt, extra, name)
                    assert "@org" not in text
            document = json.loads(_download("json", **base))
            for item in document["inputs"]:
                org, attribution, *_rest = world.truth[_original_title(world, item)]
                if attribution != Attribution.ATTRIBUTABLE:
                    assert org not in item["attribution"]


def _original_title(world: World, item: dict) -> str:
    """The generator's title of a published input (place names may read [place])."""
    pattern = re.escape(item["title"]).replace(re.escape("[place]"), ".+")
    matches = [t for t in world.truth if re.fullmatch(pattern, t)]
    assert matches, item["title"]
    return matches[0]


def test_references_are_random_per_release_and_never_reused(worlds):
    for world in worlds:
        seen: list[set[str]] = []
        for number in (1, 2):
            document = json.loads(_download("json", consultation=world.slug, release=str(number)))
            refs = {item["reference"] for item in document["inputs"]}
            assert len(refs) == len(document["inputs"])
            assert all(re.fullmatch(r"R-[0-9A-F]{10}", ref) for ref in refs)
            for earlier in seen:
                assert not refs & earlier
            seen.append(refs)


def _attacker_release(
    world: World, number: int, name_to_code: dict[str, str], region_names: dict[str, str]
) -> PublishedRelease:
    """What a reader rebuilds from the bytes of one release's full JSON download."""
    document = json.loads(_download("json", consultation=world.slug, release=str(number)))
    columns = tuple(document["matrix"]["countries"])
    rows: dict[str, PublishedRow] = {}
    for cell in document["matrix"]["cells"]:
        row = rows.setdefault(cell["priority"], PublishedRow())
        if cell.get("fewer_than"):
            row.fewer.add(cell["country"])
        elif cell.get("hidden"):
            row.hidden.add(cell["country"])
        else:
            row.visible[cell["country"]] = cell["inputs"]
    for slug, total in document["matrix"]["priority_totals"].items():
        rows[slug].withheld = total is None
    region_of = {code: ("south" if code in SOUTH else "east") for code in columns}
    listed = []
    for item in document["inputs"]:
        key = _original_title(world, item)  # the reader links inputs across releases by text
        parts = [p.strip() for p in re.split(r",| and ", item["countries"]) if p.strip()]
        if all(p in name_to_code for p in parts):
            listed.append(ListedInput(key, item["priority"], tuple(name_to_code[p] for p in parts)))
        else:
            wanted = {region_names.get(p, "*") for p in parts}
            candidates = tuple(c for c in columns if "*" in wanted or region_of[c] in wanted)
            listed.append(ListedInput(key, item["priority"], None, candidates))
    return PublishedRelease(f"#{number}", columns, rows, listed, set())


def test_no_small_cell_can_be_narrowed_below_k_within_or_across_releases(worlds):
    """Attack 2: linear programming over everything every release's files say."""
    name_to_code = {c.name: c.code for c in db.session.scalars(db.select(Country))}
    region_names = {
        "the Southern Neighbourhood": "south",
        "the Eastern Neighbourhood": "east",
        "the European Neighbourhood": "*",
    }
    checked = 0
    for world in worlds:
        releases = [_attacker_release(world, n, name_to_code, region_names) for n in (1, 2)]
        # The small cells, from the generator's truth (known to the test, not to the reader).
        for index, month_limit in ((0, "2027-01"), (1, "2027-02")):
            orgs: dict[tuple[str, str], set[str]] = defaultdict(set)
            for org, attribution, priority, countries, month in world.truth.values():
                if attribution == Attribution.EU_ONLY or month > month_limit:
                    continue
                for code in countries:
                    orgs[(priority, code)].add(org)
            releases[index].primary = {key for key, names in orgs.items() if len(names) < K}
        for interval in audit(releases, K):
            checked += 1
            assert interval.low <= 1e-6, (world.slug, interval)
            assert interval.high >= K - 1e-6, (world.slug, interval)
    assert checked > 10  # the generator made small cells to attack


def test_no_date_finer_than_a_month_within_or_across_releases(worlds, text_parts):
    """Attack 3: days never printed; releases cover whole months, so their difference too."""
    day = re.compile(r"\b2027-\d{2}-\d{2}\b")
    for world in worlds:
        first = json.loads(_download("json", consultation=world.slug, release="1"))
        second = json.loads(_download("json", consultation=world.slug, release="2"))
        # The only days printed are the releases' own publication days.
        published = {first["release"]["published_at"][:10], second["release"]["published_at"][:10]}
        for fmt in ("csv", "xlsx", "json", "docx", "html"):
            for number in ("1", "2"):
                text = "".join(
                    text_parts(_download(fmt, consultation=world.slug, release=number)).values()
                )
                assert set(day.findall(text)) <= published, (world.slug, fmt, number)
        in_first = {_original_title(world, i) for i in first["inputs"]}
        for item in second["inputs"]:
            assert re.fullmatch(r"\d{4}-\d{2}", item["forwarded"])
            if _original_title(world, item) not in in_first:
                # New in release 2: forwarded in a month release 1 did not cover at all.
                assert item["forwarded"] > first["release"]["period"][-7:]


def test_filters_that_would_count_again_are_refused(worlds):
    from consult.digest.filters import FilterError

    slug = worlds[0].slug
    for extra in (
        {"theme": "youth"},
        {"type": "recommendation"},
        {"since": "2027-01-10"},
        {"until": "2027-01-11"},
    ):
        with pytest.raises(FilterError) as refused:
            _download("json", consultation=slug, **extra)
        assert "priority, region and country" in str(refused.value)
