"""Every download format, and the non-attribution guarantee checked byte by byte."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from consult.digest.contents import COLUMNS
from consult.digest.services import parse_filters, render_digest

ALL_DOWNLOADS = [
    ("csv", "inputs"),
    ("csv", "recommendations"),
    ("xlsx", "inputs"),
    ("json", "inputs"),
    ("docx", "inputs"),
    ("html", "inputs"),
]


@pytest.fixture
def data(app, make_digest_data, publish):
    """The test data, with its consultation's first external release published."""
    data = make_digest_data()
    publish()
    return data


def _download(fmt, actor, part="inputs", **filters) -> bytes:
    return b"".join(render_digest(fmt, parse_filters(filters), actor, part=part).chunks)


@pytest.mark.parametrize(("fmt", "part"), ALL_DOWNLOADS)
@pytest.mark.parametrize("filters", [{}, {"priority": "ssr"}, {"country": "TN"}])
def test_no_identifier_in_any_byte_of_an_external_digest(
    data, hq_user, fmt, part, filters, text_parts
):
    content = _download(fmt, hq_user, part, **filters)
    parts = text_parts(content)
    if fmt in ("xlsx", "docx"):
        assert len(parts) > 5  # the XML parts of the archive were scanned
    for name, text in parts.items():
        lowered = text.lower()
        for identifier in data.secret_identifiers:
            assert identifier.lower() not in lowered, f"{identifier!r} found in {name}"
    # The organisation that chose to be named is named, as its attribution label only
    # (its input is placed in a region, so a country filter does not select it).
    if (fmt != "csv" or part == "inputs") and "country" not in filters:
        assert "Open Dialogue Centre" in "".join(parts.values())


def test_identifiers_the_moderator_missed_are_redacted(data, hq_user):
    document = json.loads(_download("json", hq_user))
    entry = next(i for i in document["inputs"] if i["title"].startswith("Community forums in"))
    assert entry["body"].count("[redacted]") >= 5
    assert entry["moderator_summary"] == "Joint forums; ask [redacted] for details."
    assert entry["recommendations"][0]["text"] == "Fund joint forums; contact [redacted]."


def test_internal_digest_keeps_the_reviewed_text_as_it_is(data, hq_user):
    document = json.loads(_download("json", hq_user, audience="internal"))
    entry = next(i for i in document["inputs"] if i["title"] == "Community forums in Kasserine")
    assert "+216 71 555 123" in entry["body"]
    assert entry["reference"] == str(data.inputs["hidden"].id)


def test_csv_has_one_row_per_input_with_the_columns(data, hq_user):
    content = _download("csv", hq_user).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == [
        "reference", "consultation", "priority", "priority_name", "countries", "level",
        "type", "type_name", "themes", "title", "body", "moderator_summary", "attribution",
        "forwarded",
    ]  # fmt: skip
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 4
    row = next(r for r in rows if r["title"] == "Community forums in [place]")
    assert row["themes"] == "Youth; Community security"
    assert row["level"] == "National" and row["type_name"] == "Context analysis"
    assert row["type"] == "context-analysis" and row["priority"] == "ssr"
    # Internal files carry the same columns, and two more.
    content = _download("csv", hq_user, audience="internal").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    assert header == [*COLUMNS, "eu_staff_only", "status"]


def test_recommendations_csv_names_addressees_and_neutralises_formulas(data, hq_user):
    content = _download("csv", hq_user, "recommendations").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {r["addressee"] for r in rows} >= {"EU", "EU Delegation", "EU member states"}
    formula = next(r for r in rows if "HYPERLINK" in r["recommendation"])
    assert formula["recommendation"].startswith("'=")
    for row in rows:
        for value in row.values():
            assert not re.match(r"^[=+\-@]", value)


def test_xlsx_sheets_headers_frozen_rows_widths_and_properties(data, hq_user):
    content = _download("xlsx", hq_user)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[:4] == ["Inputs", "Recommendations", "Matrix", "Themes"]
    inputs = workbook["Inputs"]
    assert inputs.freeze_panes == "A2"
    assert inputs["A1"].value == "reference" and inputs["A1"].font.b
    header = [c.value for c in inputs[1]]
    assert tuple(header) == COLUMNS
    body = chr(ord("A") + header.index("body"))
    assert inputs.column_dimensions[body].width == 80
    assert inputs.max_row == 5
    recs = workbook["Recommendations"]
    values = [c.value for c in recs["F"]]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    matrix = workbook["Matrix"]
    header = [c.value for c in matrix[1]]
    # Every country of the scope, by region then name (external: not only those with inputs).
    assert header[:3] == ["Priority", "Algeria", "Egypt"] and len(header) == 16 + 2
    ssr = dict(zip(header, [c.value for c in matrix[2]], strict=True))
    assert ssr["Armenia"] == ssr["Georgia"] == "fewer than 3"  # AM small, GE masked
    # TN's three organisations: their count, or hidden to protect the small cell.
    assert ssr["Tunisia"] in (3, "hidden")
    assert ssr["Algeria"] in (0, "fewer than 3")
    crisis = dict(zip(header, [c.value for c in matrix[8]], strict=True))
    assert crisis["Priority"].startswith("Crisis") and crisis["Lebanon"] == 0
    # Themes is a linked table: a row per priority, a column per theme, and the totals.
    rows = [[c.value for c in row] for row in workbook["Themes"].iter_rows()]
    themes = dict(zip(rows[0], rows[-1], strict=True))
    assert rows[-1][0] == "All priorities" and themes["Community security"] == 3
    assert workbook.properties.creator == "consult"
    assert workbook.properties.lastModifiedBy == "consult"


def test_json_document(data, hq_user):
    document = json.loads(_download("json", hq_user, priority="ssr"))
    assert document["filters"] == {
        "priority": "ssr",
        "audience": "external",
        "consultation": "enp-2026",
        "release": "1",
    }
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", document["generated_at"])
    assert list(document) == [
        "generated_at", "audience", "filters", "release", "totals", "matrix", "priorities",
        "by_priority", "by_type", "by_theme", "by_addressee", "inputs",
    ]  # fmt: skip
    assert document["release"]["number"] == 1
    assert document["release"]["period"].startswith("2026-03")
    assert document["totals"]["inputs"] == 4
    assert document["matrix"]["countries"] == [
        *["DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN"],
        *["AM", "AZ", "BY", "GE", "MD", "UA"],
    ]
    assert len(document["inputs"]) == 4
    assert all(list(i) == [*COLUMNS, "recommendations"] for i in document["inputs"])
    internal = json.loads(_download("json", hq_user, audience="internal", priority="ssr"))
    assert internal["release"] is None
    assert list(internal["inputs"][0]) == [*COLUMNS, "eu_staff_only", "status", "recommendations"]


def test_docx_reads_like_the_meeting_report_and_names_the_platform(data, hq_user):
    content = _download("docx", hq_user)
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Background", "Overview"]
    assert "I. Security sector reform (incl. community security)" in headings
    assert "Context findings" in headings and "Recommendations" in headings
    assert "Addressed to: EU" in headings and "Good practices" in headings
    # Good practices by place: the place the release gives the input.
    document_json = json.loads(_download("json", hq_user))
    practice = next(i for i in document_json["inputs"] if i["type"] == "good-practice")
    place = practice["countries"]
    assert place[0].upper() + place[1:] in headings
    assert headings[-2:] == ["Note on method", "The Chatham House Rule"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The consultation took place under the Chatham House Rule." in text
    assert len(document.inline_shapes) == 2  # the two charts, as PNG
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert "<dc:creator>consult</dc:creator>" in core
        assert "<cp:lastModifiedBy>consult</cp:lastModifiedBy>" in core
        assert any(name.endswith(".png") for name in archive.namelist())
    assert document.core_properties.author == "consult"


def test_html_report_is_csp_safe_with_inline_svg_charts(data, hq_user, client, login):
    login(client, hq_user)
    response = client.get("/digest/download/html?priority=ssr")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert page.count("<svg") == 2
    assert "<style" not in page and "<script" not in page
    assert not re.search(r"\sstyle=", page)
    assert 'href="/static/consult.css?v=' in page
    for heading in ("Background", "Overview", "Note on method", "The Chatham House Rule"):
        assert f">{heading}</h2>" in page or f">{heading}</h3>" in page
    assert "I. Security sector reform" in page
    assert 'fill="#' in page  # presentation attributes instead of CSS


def test_cli_html_report_embeds_its_stylesheet(data, runner, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(args=["digest", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<style>" in page and "/static/consult.css" not in page


def _grid_widths(content: bytes) -> list[int]:
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    first_grid = re.search(r"<w:tblGrid>(.*?)</w:tblGrid>", xml).group(1)
    return [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', first_grid)]


def test_docx_matrix_gives_the_priority_column_room_in_its_grid(data, hq_user):
    # LibreOffice lays tables out by the grid: with equal columns, priority names
    # broke inside words ("preventi ng radicalis ation").
    widths = _grid_widths(_download("docx", hq_user, audience="internal"))
    assert widths[0] > 2 * max(widths[1:])
    assert sum(widths) <= 16.7 / 2.54 * 1440  # fits the 16.6 cm between the margins
    document = Document(io.BytesIO(_download("docx", hq_user, audience="internal")))
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[0] == "Priority" and header[-1] == "Total"
    assert "Tunisia" in header  # few countries: named in full
    # A row never splits across pages, and the header row repeats on each page.
    for table in document.tables:
        rows = [row._tr for row in table.rows]
        assert all(
            tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows
        )
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None


def test_docx_matrix_of_many_countries_uses_codes_and_a_key(data, hq_user, publish):
    from tests import factories

    codes = ["DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "UA"]
    org = factories.make_organisation("Wide Reach Network", codes)
    author = factories.make_user("wide@reach.example.org", "cso", organisation=org)
    factories.make_input(
        data.consultation,
        author,
        countries=codes,
        status="forwarded",
        forwarded_at=datetime(2026, 4, 9, 9, 0),
    )
    publish()
    content = _download("docx", hq_user)
    document = Document(io.BytesIO(content))
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert "DZ" in header and "Algeria" not in header
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DZ Algeria" in text
    assert "“<3”, fewer than 3: fewer than 3 organisations, perhaps none" in text
    widths = _grid_widths(content)
    assert sum(widths) <= 16.7 / 2.54 * 1440


def test_chart_of_many_countries_has_a_key_of_its_codes(app):
    from consult.digest.charts import heatmap_figure, svg_markup
    from consult.digest.matrix import Matrix, MatrixCell, MatrixRow

    countries = [("DZ", "Algeria"), ("EG", "Egypt"), ("IL", "Israel"), ("JO", "Jordan")]
    countries += [("LB", "Lebanon"), ("LY", "Libya"), ("MA", "Morocco"), ("PS", "Palestine")]
    countries += [("SY", "Syria"), ("UA", "Ukraine")]
    cells = [MatrixCell(count=4, organisations=3, heat="heat-2", text="4") for _ in countries]
    matrix = Matrix(countries, [MatrixRow("ssr", "Security sector reform", cells, 40)], k=3)
    svg = str(svg_markup(heatmap_figure(matrix), "Inputs by priority and country"))
    assert ">DZ<" in svg or "DZ</text>" in svg  # the columns are named by code
    assert "DZ Algeria" in svg and "UA Ukraine" in svg  # and the key says which is which
    narrow = Matrix(countries[:3], [MatrixRow("ssr", "Security", cells[:3], 12)], k=3)
    assert "DZ Algeria" not in str(svg_markup(heatmap_figure(narrow), "Inputs"))
