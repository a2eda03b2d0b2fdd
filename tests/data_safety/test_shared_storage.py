"""Shared storage: attachments and job files as PostgreSQL large objects (CONSULT_STORAGE)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from consult import create_app
from consult.extensions import db
from consult.filestore import ATTACHMENTS, JOBS, store
from consult.filestore.models import StoredFile
from consult.inputs.states import Status
from consult.maintenance.storage import check_storage
from consult.submissions.attachments import delete_attachment, store_attachment
from tests import factories

ON_POSTGRES = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="large objects: runs when TEST_DATABASE_URL is PostgreSQL"
)


def test_an_unknown_backend_stops_the_app_with_a_reason(base_config):
    with pytest.raises(SystemExit, match="CONSULT_STORAGE='s3' is not a storage backend"):
        create_app({**base_config, "STORAGE_BACKEND": "s3"})


def test_large_objects_need_postgresql(base_config):
    with pytest.raises(SystemExit, match="must then be PostgreSQL"):
        create_app(
            {**base_config, "STORAGE_BACKEND": "postgresql", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )


@pytest.fixture
def shared(app):
    app.config["STORAGE_BACKEND"] = "postgresql"
    app.extensions.pop("consult_filestore", None)
    yield app
    app.extensions.pop("consult_filestore", None)


def _large_objects() -> int:
    return db.session.scalar(text("SELECT count(*) FROM pg_largeobject_metadata"))


@needs_postgres
def test_an_attachment_is_stored_in_the_database_and_served_from_it(
    shared, consultation, cso_user, client, login, png_bytes, upload_root: Path
):
    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    data = png_bytes("blue")
    before = _large_objects()
    att = store_attachment(cso_user, io.BytesIO(data), "map.png", item=item)
    db.session.commit()
    assert store().shared and _large_objects() == before + 1
    assert list(upload_root.iterdir()) == []  # nothing on this machine's disk
    login(client, cso_user)
    response = client.get(f"/attachments/{att.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.get_data() == b"".join(store().chunks(ATTACHMENTS, att.storage_name))
    assert "filename=map.png" in response.headers["Content-Disposition"]
    assert check_storage(verify_checksums=True).ok

    delete_attachment(att)
    db.session.rollback()  # a deletion that does not commit keeps the file
    assert store().exists(ATTACHMENTS, att.storage_name)
    delete_attachment(db.session.merge(att))
    db.session.commit()
    assert not store().exists(ATTACHMENTS, att.storage_name)
    assert _large_objects() == before


@needs_postgres
def test_a_file_written_for_rows_that_roll_back_is_gone(shared, consultation, cso_user, png_bytes):
    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    before = _large_objects()
    store_attachment(cso_user, io.BytesIO(png_bytes()), "map.png", item=item)
    db.session.rollback()
    assert _large_objects() == before
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


@needs_postgres
def test_a_big_file_is_written_and_read_in_pieces(shared):
    pieces = [bytes([n]) * 100_000 for n in range(7)]  # 700 kB: several read chunks
    assert store().put(JOBS, "a" * 32, iter(pieces)) == 700_000
    db.session.commit()
    read = list(store().chunks(JOBS, "a" * 32))
    assert len(read) > 1 and b"".join(read) == b"".join(pieces)


@needs_postgres
def test_a_job_file_lives_in_the_database(shared, hq_user, client, login):
    from tests.digest.conftest import build_digest_data, publish_release

    build_digest_data()
    publish_release()
    shared.config["JOB_THRESHOLD_INPUTS"] = 1
    login(client, hq_user)
    page = client.get(client.get("/digest/download/csv").headers["Location"])
    link = re.search(r'href="(/jobs/[0-9a-f-]+/file)"', page.get_data(as_text=True)).group(1)
    assert store().keys(JOBS) and store().local_path(JOBS, "x") is None
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert download.get_data().count(b"\n") > 1


@needs_postgres
def test_backup_and_restore_carry_the_files_inside_the_database(
    shared, runner, consultation, cso_user, png_bytes, tmp_path, make_app
):
    from tests.conftest import _create_postgres_database, _drop_postgres_database

    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    for colour in ("red", "blue"):
        store_attachment(cso_user, io.BytesIO(png_bytes(colour)), "p.png", item=item)
    db.session.commit()
    archive = tmp_path / "consult.tar.gz"
    made = runner.invoke(args=["backup", "--out", str(archive)])
    assert made.exit_code == 0, made.output

    server = os.environ["TEST_DATABASE_URL"]
    uri, name = _create_postgres_database(server)
    try:
        target = make_app(
            SQLALCHEMY_DATABASE_URI=uri,
            UPLOAD_DIR=str(tmp_path / "restored-uploads"),
            STORAGE_BACKEND="postgresql",
        )
        with target.app_context():
            restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
            assert restored.exit_code == 0, restored.output
            report = check_storage(verify_checksums=True)
            assert report.ok and report.rows_checked == 2
            db.session.remove()
            db.engine.dispose()
    finally:
        _drop_postgres_database(server, name)
