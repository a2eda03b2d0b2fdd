"""Messages stay private: never in a digest; exported, purged and erased with their input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from sqlalchemy import select

from consult.conversations.models import Message, MessageAttachment
from consult.conversations.services import post_message
from consult.digest.releases.publishing import create_release
from consult.digest.services import FORMATS, parse_filters, render_digest
from consult.extensions import db
from consult.inputs.files import attachment_path
from consult.maintenance.retention import PurgeReport, erase_organisation
from consult.organisations.export import export_organisation
from tests.digest.conftest import build_digest_data

SECRET = "THREAD-ONLY-7Q2X"


def _digest_bytes(fmt: str, **filters) -> bytes:
    digest = render_digest(fmt, parse_filters(filters), None, via="cli")
    return b"".join(digest.chunks)


def _text_of(fmt: str, data: bytes) -> str:
    """What a reader of the file sees: the XML inside DOCX and XLSX, else the bytes."""
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def test_a_message_is_in_no_digest_format(app):
    data = build_digest_data()
    item = data.inputs["hidden"]
    author = item.author
    post_message(author, item, f"{SECRET} our answer", question=False)
    db.session.commit()
    create_release("enp-2026", None, None, now=datetime(2026, 7, 5))
    db.session.commit()
    for fmt in FORMATS:
        for audience in ("internal", "external"):
            text = _text_of(fmt, _digest_bytes(fmt, audience=audience, consultation="enp-2026"))
            assert SECRET not in text, (fmt, audience)
    # The internal digest does list the input itself: the message is what is absent.
    assert "Kasserine" in _text_of("json", _digest_bytes("json", audience="internal"))


def test_the_export_carries_messages_and_their_files(people, png_bytes):
    item = people.item
    post_message(people.moderator, item, "Which districts?", question=True)
    post_message(
        people.cso, item, "Gafsa, see the map.", files=[(io.BytesIO(png_bytes()), "map.png")]
    )
    db.session.commit()
    archive = zipfile.ZipFile(export_organisation(people.cso, people.cso.organisation))
    inputs = json.loads(archive.read("inputs.json"))
    exported = next(i for i in inputs if i["id"] == str(item.id))
    assert [(m["from"], m["text"], m["question"]) for m in exported["messages"]] == [
        ("reviewers", "Which districts?", True),
        ("organisation", "Gafsa, see the map.", False),
    ]
    assert exported["messages"][0]["author"] is None  # no staff address in the export
    path = exported["messages"][1]["attachments"][0]["path"]
    assert (
        archive.read(path)
        == attachment_path(db.session.scalars(select(MessageAttachment)).one()).read_bytes()
    )


def test_erasure_removes_messages_and_their_files(people, png_bytes):
    post_message(
        people.cso, people.item, "With a file", files=[(io.BytesIO(png_bytes()), "map.png")]
    )
    db.session.commit()
    stored = attachment_path(db.session.scalars(select(MessageAttachment)).one())
    assert stored.is_file()
    report = PurgeReport()
    erase_organisation(people.cso.organisation, report)
    db.session.commit()
    assert db.session.scalars(select(Message)).all() == []
    assert db.session.scalars(select(MessageAttachment)).all() == []
    assert not stored.exists()


def test_message_files_are_backed_up_and_never_taken_for_orphans(people, png_bytes, tmp_path):
    import tarfile
    import time

    from consult.maintenance.backup import make_backup
    from consult.maintenance.storage import check_storage

    post_message(people.cso, people.item, "A map", files=[(io.BytesIO(png_bytes()), "map.png")])
    db.session.commit()
    stored = db.session.scalars(select(MessageAttachment)).one()
    path = attachment_path(stored)
    report = check_storage(fix=True, now=time.time() + 10 * 86400)
    assert path.is_file() and report.ok and report.rows_checked == 1
    archive = tmp_path / "backup.tar.gz"
    make_backup(archive)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert [f["sha256"] for f in manifest["files"]] == [stored.sha256]


def test_retention_purges_messages_and_their_files(people, png_bytes, consultation):
    from datetime import timedelta

    from consult.maintenance.retention import purge_expired
    from consult.timeutil import utcnow

    post_message(people.cso, people.item, "A map", files=[(io.BytesIO(png_bytes()), "map.png")])
    db.session.commit()
    path = attachment_path(db.session.scalars(select(MessageAttachment)).one())
    consultation.closes_at = utcnow() - timedelta(days=800)
    db.session.commit()
    purge_expired()
    db.session.commit()
    assert db.session.scalars(select(Message)).all() == []
    assert not path.exists()
