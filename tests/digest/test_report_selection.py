"""A report of many inputs stays a report: counts, themes and a selection it explains."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document


@pytest.fixture
def data(app, make_digest_data):
    return make_digest_data()


def _section(page: str, slug: str) -> str:
    start = page.index(f'id="priority-{slug}"')
    end = page.index("</section>", start)
    return page[start:end]


def test_a_small_digest_prints_every_input(data, client, login, hq_user):
    login(client, hq_user)
    page = client.get("/digest/download/html?audience=internal").get_data(as_text=True)
    ssr = _section(page, "ssr")
    assert len(re.findall(r'<li dir="auto"><strong>', ssr)) == 4
    assert "A selection" not in page and "Themes of all its inputs" not in page


def test_beyond_the_threshold_the_report_shows_a_selection_and_says_how(
    app, data, client, login, hq_user
):
    app.config.update(REPORT_FULL_MAX_INPUTS=2, REPORT_PER_PLACE=1)
    login(client, hq_user)
    page = client.get("/digest/download/html?audience=internal").get_data(as_text=True)
    ssr = _section(page, "ssr")
    # Four ssr inputs, three about Tunisia and one about Armenia: one shown for each.
    assert len(re.findall(r'<li dir="auto"><strong>', ssr)) == 2
    assert "A selection: 2 inputs of 4, at most 1 per country." in ssr
    assert "Themes of all its inputs: Community security (3)" in ssr
    assert "more than a report can usefully print (2)" in page
    assert "The CSV, XLSX and JSON files carry every input." in page

    document = Document(io.BytesIO(client.get("/digest/download/docx?audience=internal").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "A selection: 2 inputs of 4, at most 1 per country." in text
    assert "Themes of all its inputs: Community security (3)" in text
    assert "taken in the order of their reference, which is random" in text

    csv = client.get("/digest/download/csv?audience=internal").get_data(as_text=True)
    assert csv.count("ssr,") >= 4  # the data files still carry every input
