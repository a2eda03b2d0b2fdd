"""Suppression in external digests: no small group can be placed in its country.

A reader learns nothing from the matrix that points at the country of fewer
than k organisations (k = 3 here):

* Fixed columns: the columns are every country in the digest's scope (here
  the consultation covers all 16), by region then name, whether or not it
  has inputs; adding or removing one small input never adds or removes one.
* Masked zeros: in a region of a priority row that holds a small cell, every
  empty cell reads "fewer than 3" too, exactly like the small cell (same
  text, same class, same JSON object), so the small cell is one of several.
* A partner cell is "hidden" only where the small cell has no masked cell
  beside it: every other country of the region in that row has at least k.
* A region with a single country in the matrix (a consultation's scope)
  cannot hide its small cell: the row's region-level inputs are placed in
  "the European Neighbourhood" and the empty cells of the whole row are
  masked. A total is hidden only when the row holds one suppressed cell
  and nothing else (a matrix of one country: its inputs are then left out).

The main data (one consultation covering every country):

* ssr: EG 3 inputs / 3 organisations, MA 5 / 4, LB 1 / 1 (small), UA 3 / 3.
  The seven empty South cells read "fewer than 3" like LB; nothing is hidden.
* crisis: TN 3 / 3, MA 4 / 3, AM 1 / 1 (small). The five empty East cells read
  "fewer than 3" like AM; its input is "a CSO in the Eastern Neighbourhood".
* cbrn: JO 1 / 1, the only input of its row (the lone row). All ten South
  cells read "fewer than 3", the East shows 0, the total (1) is shown: the
  inputs in the Southern Neighbourhood could be about any of ten countries.

Smaller consultations show the partner and the single-country region.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

import pytest
from docx import Document
from lxml import etree
from lxml import html as lxml_html
from openpyxl import load_workbook

from consult.digest.services import parse_filters, render_digest
from consult.reference.data import COUNTRIES
from tests import factories

SOUTH = "the Southern Neighbourhood"
EAST = "the Eastern Neighbourhood"
WIDE = "the European Neighbourhood"
FEWER = "fewer than 3"
NAMES = {code: name for code, name, _region in COUNTRIES}
REGION = {code: SOUTH if region == "south" else EAST for code, _name, region in COUNTRIES}
#: Every reference country, by region then name: the columns of an external matrix.
ALL_COLUMNS = [
    *["DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN"],
    *["AM", "AZ", "BY", "GE", "MD", "UA"],
]
PRIORITY_NAMES = {
    "ssr": "Security sector reform (incl. community security)",
    "terrorism": "Tackling terrorism and preventing radicalisation",
    "organised-crime": "Disrupting organised crime",
    "cybercrime": "Fighting cybercrime",
    "cbrn": "CBRN risk mitigation",
    "csdp": "Common Security and Defence Policy (CSDP)",
    "crisis": "Crisis management and response (incl. conflict prevention)",
}
SSR, CRISIS, CBRN = PRIORITY_NAMES["ssr"], PRIORITY_NAMES["crisis"], PRIORITY_NAMES["cbrn"]
Plan = dict[tuple[str, str], list[int]]
#: (priority, country) -> inputs per organisation (one entry per organisation).
BASE: Plan = {
    ("ssr", "EG"): [1, 1, 1],
    ("ssr", "MA"): [2, 1, 1, 1],
    ("ssr", "LB"): [1],
    ("ssr", "UA"): [1, 1, 1],
    ("crisis", "TN"): [1, 1, 1],
    ("crisis", "MA"): [2, 1, 1],
    ("crisis", "AM"): [1],
}
LONE: Plan = {("cbrn", "JO"): [1]}  # one CBRN input about Jordan
PLAN: Plan = {**BASE, **LONE}


@pytest.fixture
def _build(last_month):
    def _build(consultation, plan: Plan, tag: str = "") -> None:
        """Forwarded inputs, one organisation per entry; titles say priority-country-org-n."""
        authors: dict[tuple[str, int], object] = {}
        for (priority, code), per_org in plan.items():
            for n, count in enumerate(per_org):
                if (code, n) not in authors:
                    org = factories.make_organisation(f"Org {tag}{code} {n}", [code])
                    authors[code, n] = factories.make_user(
                        f"cso{n}@{tag}{code.lower()}.example.org", "cso", organisation=org
                    )
                for i in range(count):
                    factories.make_input(
                        consultation,
                        authors[code, n],
                        countries=[code],
                        priority=priority,
                        status="forwarded",
                        title=f"{priority}-{code}-{n}-{i}",
                        body="Body.",
                        recommendations=(),
                        forwarded_at=last_month(),
                    )

    return _build


@pytest.fixture
def consultation(app):
    return factories.make_consultation("enp-suppression", title="ENP suppression")


@pytest.fixture
def data(consultation, publish, _build):
    _build(consultation, PLAN)
    publish(consultation.slug)
    return consultation


def _download(fmt: str, actor, **filters) -> bytes:
    return b"".join(render_digest(fmt, parse_filters(filters), actor).chunks)


def _value(text) -> int | str:
    if isinstance(text, int):
        return text
    text = str(text).strip()
    if text == "<3":  # the compact table's short text
        return FEWER
    return int(text) if text.isdigit() else text


# -- the matrix as each format shows it ------------------------------------------------------
Cells = dict[str, int | str]
Matrix = dict[str, tuple[Cells, int | str]]  # priority name -> ({country: value}, total)


class Shown:
    """A format's matrix: its columns, its values, and each cell as written (markup, object)."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.matrix: Matrix = {}
        self.raw: dict[str, dict[str, str]] = {}

    def add(self, name: str, values: list, raws: list[str], total) -> None:
        self.matrix[name] = (dict(zip(self.columns, values, strict=True)), total)
        self.raw[name] = dict(zip(self.columns, raws, strict=True))


def _from_html(page: str) -> Shown:
    table = lxml_html.fromstring(page).xpath(
        '//table[contains(concat(" ", @class, " "), " matrix ")]'
    )[0]
    shown = Shown([th.text_content().strip() for th in table.xpath("./thead/tr/th")[1:-1]])
    for tr in table.xpath("./tbody/tr"):
        tds = tr.xpath("./td")
        shown.add(
            tr.xpath("./th")[0].text_content().strip(),
            [_value(td.text_content()) for td in tds[:-1]],
            [lxml_html.tostring(td, encoding="unicode", with_tail=False) for td in tds[:-1]],
            _value(tds[-1].text_content()),
        )
    return shown


def _from_json(content: bytes) -> Shown:
    matrix = json.loads(content)["matrix"]
    shown = Shown(matrix["countries"])
    for slug in matrix["priorities"]:
        entries = [c for c in matrix["cells"] if c["priority"] == slug]
        assert [c["country"] for c in entries] == shown.columns  # same order in every row
        values = [
            c["inputs"]
            if c["inputs"] is not None
            else ("hidden" if c.get("hidden") else f"fewer than {c['fewer_than']}")
            for c in entries
        ]
        # Everything but the country, keys in their order: what tells two cells apart.
        raws = [json.dumps([(k, v) for k, v in c.items() if k != "country"]) for c in entries]
        total = matrix["priority_totals"][slug]
        shown.add(PRIORITY_NAMES[slug], values, raws, "hidden" if total is None else total)
    return shown


def _from_xlsx(content: bytes) -> Shown:
    sheet = load_workbook(io.BytesIO(content))["Matrix"]
    rows = list(sheet.iter_rows())
    by_name = {name: code for code, name in NAMES.items()}
    header = [c.value for c in rows[0]]
    shown = Shown([by_name[name] for name in header[1:-1]])
    for row in rows[1:]:
        if not row or row[0].value is None or row[-1].value is None:
            break
        cells = row[1 : len(header) - 1]
        shown.add(
            row[0].value,
            [_value(c.value) for c in cells],
            [repr((c.value, c.data_type, c.style_id)) for c in cells],
            _value(row[len(header) - 1].value),
        )
    return shown


def _from_docx(content: bytes) -> Shown:
    table = Document(io.BytesIO(content)).tables[0]
    by_name = {name: code for code, name in NAMES.items()}
    shown = Shown([by_name.get(c.text, c.text) for c in table.rows[0].cells[1:-1]])
    for row in table.rows[1:]:
        cells = row.cells[1:-1]
        shown.add(
            row.cells[0].text,
            [_value(c.text) for c in cells],
            [etree.tostring(c._tc, encoding="unicode") for c in cells],
            _value(row.cells[-1].text),
        )
    return shown


FORMATS = ["page", "json", "xlsx", "html", "docx"]
Reader = Callable[..., Shown]


@pytest.fixture
def read(client, login, hq_user) -> Reader:
    """``read(fmt, **filters)``: the matrix of the page or of a download."""
    login(client, hq_user)

    def _read(fmt: str, **filters) -> Shown:
        if fmt == "page":
            # Without a query string the page lists releases and shows no digest.
            response = client.get("/digest/", query_string={"audience": "external", **filters})
            assert response.status_code == 200
            return _from_html(response.get_data(as_text=True))
        content = _download(fmt, hq_user, **filters)
        return {
            "json": _from_json,
            "xlsx": _from_xlsx,
            "html": lambda c: _from_html(c.decode()),
            "docx": _from_docx,
        }[fmt](content)

    return _read


def computable_cells(matrix: Matrix) -> list[tuple[str, str, int]]:
    """The suppressed cells a reader can work out: row total minus the visible cells.

    A row whose total is shown and that holds exactly one suppressed cell gives it
    by subtraction (exactly when no input of the row names several countries).
    """
    found = []
    for name, (cells, total) in matrix.items():
        unknown = [code for code, value in cells.items() if not isinstance(value, int)]
        if isinstance(total, int) and len(unknown) == 1 and total:
            visible = sum(v for v in cells.values() if isinstance(v, int))
            found.append((name, unknown[0], total - visible))
    return found


def test_the_checker_finds_a_lone_suppressed_cell():
    leaky: Matrix = {"ssr": ({"TN": 3, "AM": FEWER}, 4)}
    assert computable_cells(leaky) == [("ssr", "AM", 1)]
    assert computable_cells({"ssr": ({"TN": "hidden", "AM": FEWER}, 4)}) == []
    assert computable_cells({"ssr": ({"TN": 3, "AM": FEWER, "GE": FEWER}, 4)}) == []
    assert computable_cells({"cbrn": ({"GE": FEWER}, "hidden")}) == []


def _row_of(shown: Shown, name: str, region: str) -> dict[str, int | str]:
    return {code: v for code, v in shown.matrix[name][0].items() if REGION[code] == region}


def _assert_alike(shown: Shown, name: str, codes: list[str]) -> None:
    """The cells read "fewer than 3" and are written alike, byte for byte."""
    cells, _total = shown.matrix[name]
    if not codes:
        return
    assert {cells[code] for code in codes} == {FEWER}, (name, cells)
    written = {shown.raw[name][code] for code in codes}
    assert len(written) == 1, (name, written)


def _assert_protected(shown: Shown) -> None:
    """What every format of the release shows: small cells hidden among masked zeros."""
    assert shown.columns == ALL_COLUMNS  # the consultation's scope, not the data
    south = [c for c in ALL_COLUMNS if REGION[c] == SOUTH]
    east = [c for c in ALL_COLUMNS if REGION[c] == EAST]
    ssr, _total = shown.matrix[SSR]
    assert ssr["LB"] == FEWER
    # LB and the seven empty South cells read alike; EG, MA (3 and 4 organisations) are
    # shown or hidden to protect LB, never "fewer than 3".
    _assert_alike(shown, SSR, [c for c in south if c not in ("EG", "MA")])
    assert ssr["EG"] in (3, "hidden") and ssr["MA"] in (5, "hidden")
    crisis, _total = shown.matrix[CRISIS]
    _assert_alike(shown, CRISIS, east)  # AM and 5 zeros
    assert crisis["TN"] in (3, "hidden") and crisis["MA"] in (4, "hidden")
    # The lone row: one input about Jordan, and nothing points at Jordan.
    _assert_alike(shown, CBRN, south)
    # No cell shows a count below k, and every "fewer than 3" is written alike.
    values = [v for cells, _t in shown.matrix.values() for v in cells.values()]
    assert not [v for v in values if isinstance(v, int) and 0 < v < 3]
    for name, (cells, _total) in shown.matrix.items():
        _assert_alike(shown, name, [code for code, v in cells.items() if v == FEWER] or [])
    assert computable_cells(shown.matrix) == []


def _assert_every_count_shown(shown: Shown) -> None:
    ssr, _total = shown.matrix[SSR]
    assert ssr["EG"] == 3 and ssr["LB"] == 1
    assert shown.matrix[CRISIS][0]["AM"] == 1
    codes = {code for _priority, code in PLAN}
    assert set(shown.columns) == codes  # internal: the countries that have inputs
    assert shown.matrix[CBRN] == ({**dict.fromkeys(codes, 0), "JO": 1}, 1)
    for cells, total in shown.matrix.values():
        assert isinstance(total, int) and all(isinstance(v, int) for v in cells.values())


# -- the matrix in every format -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_masked_zeros_read_like_small_cells(data, read, fmt):
    _assert_protected(read(fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_internal_digests_show_every_count_and_zero(data, read, fmt):
    _assert_every_count_shown(read(fmt, audience="internal"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_small_input_in_a_new_country_changes_no_column(
    consultation, read, fmt, publish, _build
):
    _build(consultation, BASE)
    publish(consultation.slug)
    before = read(fmt)
    assert before.columns == ALL_COLUMNS  # a country with no input is a column (DZ, JO, BY...)
    assert before.matrix[CBRN] == (dict.fromkeys(ALL_COLUMNS, 0), 0)
    _build(consultation, LONE)  # one CBRN input about Jordan, which had none
    publish(consultation.slug)  # the next release, audited together with the first
    after = read(fmt)
    assert after.columns == before.columns
    # In the affected row, the whole South reads alike: Jordan is one of ten.
    _assert_alike(after, CBRN, [c for c in ALL_COLUMNS if REGION[c] == SOUTH])
    assert computable_cells(after.matrix) == []


def test_legends_and_notes(data, client, login, hq_user):
    legend = "fewer than 3 organisations, perhaps none, stand behind the cell"
    login(client, hq_user)
    page = client.get("/digest/?audience=external").get_data(as_text=True)
    assert legend in page
    internal = _from_html(client.get("/digest/?audience=internal").get_data(as_text=True))
    values = {v for cells, _t in internal.matrix.values() for v in cells.values()}
    assert "hidden" not in values and FEWER not in values
    notes = [
        r[0]
        for r in load_workbook(io.BytesIO(_download("xlsx", hq_user)))["Matrix"].iter_rows(
            values_only=True
        )
    ]
    assert any(n and legend in n for n in notes)
    text = "\n".join(p.text for p in Document(io.BytesIO(_download("docx", hq_user))).paragraphs)
    assert legend in text and "“<3”, fewer than 3: " in text
    totals = json.loads(_download("json", hq_user))["matrix"]["priority_totals"]
    withheld = any(total is None for total in totals.values())
    assert ("Number of inputs and organisations hidden" in text) == withheld


def test_the_report_chart_writes_what_the_table_writes(data, hq_user):
    page = _download("html", hq_user).decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    small = sum(
        value == FEWER for cells, _t in _from_html(page).matrix.values() for value in cells.values()
    )
    hidden = sum(
        value == "hidden"
        for cells, _t in _from_html(page).matrix.values()
        for value in cells.values()
    )
    assert small >= 8 + 6 + 10  # at least ssr South, crisis East, cbrn South
    assert svg.count("&lt;3") == small
    assert svg.count(">hidden<") == hidden


# -- where the inputs are placed ------------------------------------------------------------


def _places(fmt: str, actor, **filters) -> dict[str, str]:
    """Input title -> what the digest says about its place (countries or attribution)."""
    content = _download(fmt, actor, **filters)
    if fmt == "json":
        return {i["title"]: i["countries"] for i in json.loads(content)["inputs"]}
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        return {row["title"]: row["countries"] for row in rows}
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(content))["Inputs"].iter_rows(values_only=True))
        title, countries = rows[0].index("title"), rows[0].index("countries")
        return {row[title]: row[countries] for row in rows[1:]}
    if fmt == "html":
        items = lxml_html.fromstring(content.decode()).xpath("//ul[@class='findings']/li")
        texts = [li.text_content() for li in items]
    else:
        texts = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    places = {}
    for text in texts:
        match = re.match(r"([\w-]+-\w\w-\d-\d)\. .*— (.*) \(", text)
        if match:
            places[match.group(1)] = match.group(2)
    return places


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "html", "docx"])
def test_small_cells_are_placed_in_their_region(data, hq_user, fmt):
    places = _places(fmt, hq_user)
    document = json.loads(_download("json", hq_user))
    shown = {(c["priority"], c["country"]): c["inputs"] for c in document["matrix"]["cells"]}
    withheld = {p for p, total in document["matrix"]["priority_totals"].items() if total is None}
    # Every input is listed, except those of a row whose total is not given.
    expected = sum(sum(v) for (p, _c), v in PLAN.items() if p not in withheld)
    assert len(places) == expected
    for title, place in places.items():
        priority, code = title.split("-")[:2]
        if isinstance(shown[(priority, code)], int):
            assert place.endswith(NAMES[code]), (title, place)
        else:  # a small or hidden cell: its region, or the whole Neighbourhood
            assert place.endswith((REGION[code], WIDE)), (title, place)
    for priority, code in [("ssr", "LB"), ("crisis", "AM"), ("cbrn", "JO")]:
        assert shown[(priority, code)] is None
    # Counting the inputs placed in a region never points at one suppressed cell.
    suppressed = {
        (c["priority"], c["country"]) for c in document["matrix"]["cells"] if c["inputs"] is None
    }
    for title, place in places.items():
        priority = title.split("-")[0]
        region = next((r for r in (SOUTH, EAST, WIDE) if place.endswith(r)), None)
        if region is None:
            continue
        candidates = [
            code for p, code in suppressed if p == priority and region in (WIDE, REGION[code])
        ]
        assert len(candidates) >= 2, (title, place, candidates)


def test_internal_digests_name_every_country(data, hq_user):
    places = _places("json", hq_user, audience="internal")
    assert places["cbrn-JO-0-0"] == "Jordan" and places["crisis-AM-0-0"] == "Armenia"


def test_a_filter_only_selects_what_the_release_shows(data, hq_user):
    full = json.loads(_download("json", hq_user))
    lone = [i for i in full["inputs"] if i["priority"] == "cbrn"]
    assert "Jordan" not in json.dumps(lone)
    cells = {(c["priority"], c["country"]): c for c in full["matrix"]["cells"]}
    inputs = {i["reference"]: i for i in full["inputs"]}
    for filters in ({"country": "JO"}, {"region": "east"}, {"priority": "cbrn"}):
        part = json.loads(_download("json", hq_user, **filters))
        # Every cell, total and input of a filtered file is the same in the full file.
        for cell in part["matrix"]["cells"]:
            assert cell == cells[(cell["priority"], cell["country"])], (filters, cell)
        for slug, total in part["matrix"]["priority_totals"].items():
            assert total == full["matrix"]["priority_totals"][slug]
        for item in part["inputs"]:
            assert item == inputs[item["reference"]]
        assert part["totals"] == full["totals"]
    # The country filter selects Jordan's column: its small cell still reads "fewer
    # than 3", and no input names Jordan.
    part = json.loads(_download("json", hq_user, country="JO"))
    assert part["matrix"]["countries"] == ["JO"]
    assert part["inputs"] == []


def test_a_region_filter_narrows_the_columns(data, read):
    shown = read("json", region="east")
    assert shown.columns == ["AM", "AZ", "BY", "GE", "MD", "UA"]
    _assert_alike(shown, CRISIS, shown.columns)
    assert shown.matrix[SSR] == (
        {"AM": 0, "AZ": 0, "BY": 0, "GE": 0, "MD": 0, "UA": 3},
        12,  # a filter selects columns: the total is the release's
    )


# -- partners and regions of a single country (consultations of a few countries) --------------

#: A consultation about EG, TN, GE and MD.
NARROW: Plan = {
    # East: GE small, MD has three organisations and no empty cell beside GE: MD is hidden.
    ("terrorism", "GE"): [1],
    ("terrorism", "MD"): [1, 1, 1],
    ("terrorism", "TN"): [1, 1, 1],
    # East: GE small, MD empty and masked: nothing is hidden.
    ("organised-crime", "GE"): [1],
    ("organised-crime", "TN"): [1, 1, 1],
}
#: A consultation about EG, TN and UA: the East is one country.
ONE_EAST: Plan = {
    # UA small: placed in the whole Neighbourhood; EG (empty) is masked with it.
    ("cybercrime", "UA"): [1],
    ("cybercrime", "TN"): [1, 1, 1],
    # UA small, no empty cell in the row: the smallest cell of the row (EG) is hidden.
    ("csdp", "UA"): [1],
    ("csdp", "TN"): [1, 1, 1, 1],
    ("csdp", "EG"): [1, 1, 1],
}


@pytest.fixture
def narrow(app, publish, _build):
    consultation = factories.make_consultation(
        "enp-narrow", countries=["EG", "TN", "GE", "MD"], title="Narrow"
    )
    _build(consultation, NARROW, tag="n")
    consultation = factories.make_consultation(
        "enp-one-east", countries=["EG", "TN", "UA"], title="One East"
    )
    _build(consultation, ONE_EAST, tag="o")
    publish("enp-narrow")
    publish("enp-one-east")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_small_consultation_shows_its_scope_and_protects_its_small_cells(narrow, read, fmt):
    shown = read(fmt, consultation="enp-narrow")
    assert shown.columns == ["EG", "TN", "GE", "MD"]  # the consultation's scope
    terrorism = PRIORITY_NAMES["terrorism"]
    assert shown.matrix[terrorism][0]["GE"] == FEWER
    crime = PRIORITY_NAMES["organised-crime"]
    _assert_alike(shown, crime, ["GE", "MD"])  # GE small, MD empty and masked
    assert shown.matrix[SSR] == ({"EG": 0, "TN": 0, "GE": 0, "MD": 0}, 0)
    values = [v for cells, _t in shown.matrix.values() for v in cells.values()]
    assert not [v for v in values if isinstance(v, int) and 0 < v < 3]
    assert computable_cells(shown.matrix) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_region_of_one_country_places_its_inputs_in_the_neighbourhood(narrow, read, fmt):
    shown = read(fmt, consultation="enp-one-east")
    assert shown.columns == ["EG", "TN", "UA"]
    cyber = PRIORITY_NAMES["cybercrime"]
    assert shown.matrix[cyber][0]["UA"] == FEWER
    csdp = PRIORITY_NAMES["csdp"]
    assert shown.matrix[csdp][0]["UA"] == FEWER
    # The East is UA alone: its small cell needs a partner in the other region.
    for name in (cyber, csdp):
        assert [c for c, v in shown.matrix[name][0].items() if not isinstance(v, int)] != ["UA"]
    assert computable_cells(shown.matrix) == []


def test_partner_and_neighbourhood_placement(narrow, hq_user):
    places = _places("json", hq_user, consultation="enp-narrow")
    assert places["terrorism-GE-0-0"] == EAST and places["terrorism-MD-2-0"] == EAST
    assert places["terrorism-TN-0-0"] == "Tunisia"
    assert places["organised-crime-GE-0-0"] in (EAST, WIDE)
    places = _places("json", hq_user, consultation="enp-one-east")
    # UA is the only country of its region: its inputs are placed in the Neighbourhood.
    assert places["cybercrime-UA-0-0"] == WIDE and places["csdp-UA-0-0"] == WIDE
    assert places["csdp-EG-1-0"] == WIDE and places["csdp-TN-0-0"] == "Tunisia"
    assert "Ukraine" not in json.dumps(places)


def test_a_scope_narrowed_after_inputs_were_sent_falls_back_to_every_country(
    narrow, hq_user, publish
):
    from sqlalchemy import select

    from consult.extensions import db
    from consult.inputs.models import Consultation

    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == "enp-narrow"))
    consultation.countries = [c for c in consultation.countries if c.code != "MD"]
    db.session.commit()
    publish("enp-narrow")
    document = json.loads(_download("json", hq_user, consultation="enp-narrow"))
    assert document["release"]["number"] == 2
    assert document["matrix"]["countries"] == ALL_COLUMNS  # no count is dropped


def test_external_country_count_names_only_visible_countries(data, hq_user):
    """The "Countries" figure must not betray a country whose only cells are masked."""
    external = json.loads(_download("json", hq_user, audience="external"))
    internal = json.loads(_download("json", hq_user, audience="internal"))
    visible = {
        cell["country"]
        for cell in external["matrix"]["cells"]
        if isinstance(cell["inputs"], int) and cell["inputs"] > 0
    }
    assert external["totals"]["countries"] == len(visible)
    assert internal["totals"]["countries"] > external["totals"]["countries"]
    page = _download("html", hq_user, audience="external").decode()
    assert f"It names {len(visible)} countries" in page
