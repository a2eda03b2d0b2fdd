"""HQ downloads the digest in every format from the page, and each file holds what it says."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD
from consult.cli.demo_inputs import seed_demo_inputs
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests import factories
from tests.browser.conftest import HQ, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _download(page, name: str) -> tuple[str, bytes]:
    """Click the download link called ``name``: the file's suggested name and bytes."""
    with page.expect_download() as info:
        page.click(f".downloads a:has-text('{name}')")
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_hq_downloads_every_format_and_each_holds_the_forwarded_inputs(app, live_server, any_page):
    page = any_page
    seed_demo_inputs()
    user_by_email(HQ).totp_secret = factories.STAFF_TOTP_SECRET
    db.session.commit()
    titles = set(
        db.session.scalars(
            select(Input.title).where(Input.status.in_([Status.FORWARDED, Status.USED]))
        )
    )
    assert titles
    sign_in(page, live_server, HQ, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/digest/?audience=internal")

    name, data = _download(page, "Inputs (CSV)")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {row["title"] for row in rows} == titles

    name, data = _download(page, "Recommendations (CSV)")
    assert name.endswith(".csv")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:], "no recommendation"

    name, data = _download(page, "Workbook (XLSX)")
    assert name.endswith(".xlsx") and data[:2] == b"PK"
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
    assert titles <= cells

    name, data = _download(page, "Data (JSON)")
    assert name.endswith(".json")
    assert all(title in json.dumps(json.loads(data), ensure_ascii=False) for title in titles)

    name, data = _download(page, "Report (DOCX)")
    assert name.endswith(".docx") and data[:2] == b"PK"
    assert "<w:body>" in _docx_text(data)

    # The printable report opens as a page of its own.
    click_and_wait(page, ".downloads a:has-text('Report (printable page)')")
    assert "/digest/download/html" in page.url
    report = page.content()
    assert all(title.replace("&", "&amp;") in report for title in titles)
