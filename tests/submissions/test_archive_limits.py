"""Upload limits for DOCX/XLSX/ODT (ZIP archives): a cap on the unpacked size and no zip bombs.

The bombs are generated here: members of zeros that deflate a thousandfold,
and many small members that add up past the cap.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import Attachment
from consult.inputs.states import Status
from consult.submissions.attachments import AttachmentError, store_attachment
from tests import factories
from tests.sample_files import (
    docx_with_author,
    odt_with_creator,
    xlsx_with_creator,
)

MB = 1024 * 1024
DOCUMENTS = {"docx": docx_with_author, "xlsx": xlsx_with_creator, "odt": odt_with_creator}


def with_members(data: bytes, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def draft(consultation, cso_user):
    return factories.make_input(consultation, cso_user, status=Status.DRAFT)


def _store(user, data: bytes, name: str, item) -> Attachment:
    att = store_attachment(user, io.BytesIO(data), name, item=item)
    db.session.commit()
    return att


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_a_ratio_bomb_is_refused(cso_user, draft, kind):
    bomb = with_members(DOCUMENTS[kind](), {"media/filler.bin": b"\0" * (20 * MB)})
    assert len(bomb) < 100 * 1024  # 20 MB of zeros deflate to a few kilobytes
    with pytest.raises(AttachmentError, match="expand far beyond its size"):
        _store(cso_user, bomb, f"report.{kind}", draft)
    db.session.rollback()
    assert db.session.scalar(select(Attachment)) is None


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_many_small_members_past_the_default_cap_are_refused(cso_user, draft, kind):
    # Each member is under the ratio floor; together they unpack to 30 MB (> 25 MB).
    members = {f"media/part{n}.bin": bytes([n]) * MB for n in range(30)}
    bomb = with_members(DOCUMENTS[kind](), members)
    assert len(bomb) < 1 * MB
    with pytest.raises(AttachmentError, match="more than 25 MB once unpacked"):
        _store(cso_user, bomb, f"report.{kind}", draft)


def test_the_cap_is_a_setting(make_app, consultation, cso_user):
    import os

    app = make_app(MAX_UNCOMPRESSED_BYTES=1 * MB)
    incompressible = os.urandom(MB + 1024)  # stored: no ratio to speak of
    data = with_members(docx_with_author(), {"media/photo.bin": incompressible}, zipfile.ZIP_STORED)
    with app.app_context():
        item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
        with pytest.raises(AttachmentError, match="more than 1 MB once unpacked"):
            store_attachment(cso_user, io.BytesIO(data), "report.docx", item=item)


def test_a_document_under_the_cap_is_stored_whole(cso_user, draft):
    import os

    photo = os.urandom(2 * MB)
    data = with_members(docx_with_author(), {"word/media/photo.bin": photo}, zipfile.ZIP_STORED)
    att = _store(cso_user, data, "report.docx", draft)
    from consult.submissions.attachments import attachment_path

    stored = zipfile.ZipFile(attachment_path(att))
    assert stored.read("word/media/photo.bin") == photo
