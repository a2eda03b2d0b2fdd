"""Attachments: type from content, metadata stripped, limits, storage, downloads, scope."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import Attachment
from consult.inputs.states import Status
from consult.submissions.attachments import AttachmentError, attachment_path, store_attachment
from tests import factories
from tests.sample_files import (
    GPS_IFD,
    HTML_AS_PDF,
    SECRET_NAME,
    SECRET_ORG,
    SECRET_TOOL,
    all_text,
    docx_with_author,
    jpeg_with_gps,
    odt_with_creator,
    pdf_with_author,
    png_with_text,
    xlsx_with_creator,
)

SECRETS = (SECRET_NAME.encode(), SECRET_ORG.encode(), SECRET_TOOL.encode())


def stored_bytes(att: Attachment) -> bytes:
    return attachment_path(att).read_bytes()


def store(user, data: bytes, name: str, item=None) -> Attachment:
    att = store_attachment(user, io.BytesIO(data), name, item=item)
    db.session.commit()
    return att


@pytest.fixture
def draft(consultation, cso_user):
    return factories.make_input(consultation, cso_user, status=Status.DRAFT)


# ---------------------------------------------------------------- type from content


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (HTML_AS_PDF, "report.pdf"),
        (b"MZ\x90\x00" + b"\x00" * 200, "tool.docx"),
        (b"GIF89a" + b"\x00" * 100, "image.png"),
        (b"plain text that claims to be a spreadsheet", "data.xlsx"),
    ],
)
def test_anything_but_the_accepted_types_is_refused(cso_user, draft, data, name):
    with pytest.raises(AttachmentError, match="This file type is not accepted"):
        store(cso_user, data, name, item=draft)
    assert db.session.scalars(select(Attachment)).all() == []


def test_a_zip_that_is_not_an_office_document_is_refused(cso_user, draft):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    with pytest.raises(AttachmentError):
        store(cso_user, out.getvalue(), "document.docx", item=draft)


def test_the_name_does_not_decide_the_type(cso_user, draft):
    att = store(cso_user, jpeg_with_gps(), "photo.pdf", item=draft)
    assert att.content_type == "image/jpeg"
    assert att.filename == "photo.pdf.jpg"


# ---------------------------------------------------------------- metadata removed


def test_jpeg_is_stored_without_exif_or_gps(cso_user, draft):
    att = store(cso_user, jpeg_with_gps(), "photo.jpg", item=draft)
    data = stored_bytes(att)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert len(exif) == 0
    assert b"Exif" not in data
    for secret in (b"SecretCamMaker", *SECRETS):
        assert secret not in data


def test_png_is_stored_without_text_chunks(cso_user, draft):
    att = store(cso_user, png_with_text(), "chart.png", item=draft)
    data = stored_bytes(att)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"
    assert not any(secret in data for secret in SECRETS)


def test_pdf_is_stored_without_author_or_tool(cso_user, draft):
    att = store(cso_user, pdf_with_author(), "notes.pdf", item=draft)
    data = stored_bytes(att)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    metadata = reader.metadata or {}
    assert metadata.get("/Author") is None and metadata.get("/Creator") is None
    assert not any(secret in data for secret in SECRETS)


def test_docx_is_stored_without_author_company_or_tool(cso_user, draft):
    att = store(cso_user, docx_with_author(), "analysis.docx", item=draft)
    data = stored_bytes(att)
    assert not any(secret in all_text(data) for secret in SECRETS)
    import docx

    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Our analysis of community policing."
    assert document.core_properties.author == ""


def test_xlsx_is_stored_without_creator(cso_user, draft):
    att = store(cso_user, xlsx_with_creator(), "incidents.xlsx", item=draft)
    data = stored_bytes(att)
    assert not any(secret in all_text(data) for secret in SECRETS)
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(data)).active["A1"].value == "Incidents by district"


def test_odt_is_stored_without_creator_and_stays_an_odt(cso_user, draft):
    att = store(cso_user, odt_with_creator(), "memo.odt", item=draft)
    data = stored_bytes(att)
    assert not any(secret in all_text(data) for secret in SECRETS)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "mimetype"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    assert b"Hello" in archive.read("content.xml")


# ---------------------------------------------------------------- limits and storage


def test_size_limit_from_config(make_app, consultation, cso_user):
    app = make_app(MAX_ATTACHMENT_BYTES=1024)
    with app.app_context():
        item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
        with pytest.raises(AttachmentError, match="larger than"):
            store_attachment(
                cso_user, io.BytesIO(pdf_with_author() + b"\0" * 2048), "a.pdf", item=item
            )


def test_count_limit_from_config(make_app, consultation, cso_user):
    app = make_app(MAX_ATTACHMENTS_PER_INPUT=2)
    with app.app_context():
        item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
        for number in range(2):
            store_attachment(cso_user, io.BytesIO(png_with_text()), f"{number}.png", item=item)
        with pytest.raises(AttachmentError, match="at most 2 attachments"):
            store_attachment(cso_user, io.BytesIO(png_with_text()), "3.png", item=item)


def test_files_are_stored_outside_static_under_random_names(app, cso_user, draft):
    att = store(cso_user, pdf_with_author(), "Our secret plan.pdf", item=draft)
    path = attachment_path(att)
    assert path.parent == Path(app.config["UPLOAD_DIR"])
    assert "static" not in path.parts
    assert att.storage_name not in att.filename and "secret" not in att.storage_name
    assert len(att.storage_name) >= 32
    assert att.size == len(path.read_bytes())


# ---------------------------------------------------------------- download and scope


def test_download_is_an_attachment_with_nosniff(client, login, cso_user, draft):
    att = store(cso_user, pdf_with_author(), "notes.pdf", item=draft)
    login(client, cso_user)
    response = client.get(f"/attachments/{att.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "notes.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.data == stored_bytes(att)


def test_another_organisation_gets_404_for_the_attachment(client, login, cso_user, draft):
    att = store(cso_user, pdf_with_author(), "notes.pdf", item=draft)
    other_org = factories.make_organisation("Kyiv Civic Oversight Network", ["UA"])
    other = factories.make_user("oksana@kcon.example.org", "cso", organisation=other_org)
    login(client, other)
    assert client.get(f"/attachments/{att.id}").status_code == 404
    assert client.get("/attachments/not-a-uuid").status_code == 404


def test_moderator_sees_no_attachment_of_a_draft(client, login, cso_user, draft, moderator_user):
    att = store(cso_user, pdf_with_author(), "notes.pdf", item=draft)
    login(client, moderator_user)
    assert client.get(f"/attachments/{att.id}").status_code == 404


def test_moderator_of_the_delegation_may_download_a_submitted_inputs_file(
    client, login, consultation, cso_user, moderator_user
):
    item = factories.make_input(consultation, cso_user, countries=["TN"])
    att = store(cso_user, png_with_text(), "map.png", item=item)
    login(client, moderator_user)
    response = client.get(f"/attachments/{att.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_a_pending_file_can_be_removed_from_the_form(client, login, consultation, cso_user):
    from tests.submissions.conftest import UPLOAD_KEY, new_url, payload

    login(client, cso_user)
    data = payload(title="")
    data["attachments"] = (io.BytesIO(png_with_text()), "chart.png")
    client.post(new_url(consultation), data=data, content_type="multipart/form-data")
    att = db.session.scalar(select(Attachment))
    assert att.upload_key == UPLOAD_KEY
    path = attachment_path(att)
    page = client.post(
        new_url(consultation), data=payload(title="", remove_attachment=str(att.id))
    ).get_data(as_text=True)
    assert "chart.png" not in page
    assert db.session.scalars(select(Attachment)).all() == [] and not path.exists()


def test_stale_pending_files_are_purged(cso_user):
    from datetime import timedelta

    from consult.submissions.attachments import purge_pending
    from consult.timeutil import utcnow

    att = store_attachment(cso_user, io.BytesIO(png_with_text()), "x.png", upload_key="k" * 20)
    db.session.commit()
    path = attachment_path(att)
    assert purge_pending(utcnow() - timedelta(days=1)) == 0
    assert purge_pending(utcnow() + timedelta(seconds=1)) == 1
    db.session.commit()
    assert not path.exists()
