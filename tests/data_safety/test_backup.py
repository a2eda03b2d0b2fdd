"""Backup and restore: a round trip into an empty instance keeps every row and every file."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from consult.extensions import db
from consult.maintenance.backup import table_counts
from consult.maintenance.storage import check_storage
from consult.submissions.attachments import store_attachment
from tests import factories
from tests.conftest import _create_postgres_database, _drop_postgres_database


@pytest.fixture
def empty_instance(tmp_path: Path, make_app) -> Iterator:
    """Another app on an empty database and an empty upload folder."""
    server = os.environ.get("TEST_DATABASE_URL", "")
    name = None
    if server.startswith(("postgres://", "postgresql")):
        uri, name = _create_postgres_database(server)
    else:
        uri = f"sqlite:///{tmp_path / 'restored' / 'consult.sqlite'}"
    target = make_app(SQLALCHEMY_DATABASE_URI=uri, UPLOAD_DIR=str(tmp_path / "restored-uploads"))
    yield target
    with target.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        _drop_postgres_database(server, name)


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def restore_into(target, *args: str):
    """Run ``flask restore`` on ``target`` (the CLI would reuse the app context already pushed)."""
    with target.app_context():
        return target.test_cli_runner().invoke(args=["restore", *args])


def _counts(uri: str) -> dict[str, int]:
    engine = create_engine(uri)
    try:
        with engine.connect() as conn:
            return table_counts(conn)
    finally:
        engine.dispose()


@pytest.fixture
def some_data(app, consultation, cso_user, moderator_user, png_bytes):
    items = [
        factories.make_input(consultation, cso_user, title=f"Input {n}", body="é ü ✓ " * n)
        for n in range(3)
    ]
    for n, item in enumerate(items[:2]):
        store_attachment(cso_user, io.BytesIO(png_bytes(("red", "blue")[n])), "p.png", item=item)
    db.session.commit()
    return items


def test_backup_and_restore_round_trip(app, runner, some_data, empty_instance, tmp_path):
    archive = tmp_path / "backups" / "consult.tar.gz"
    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert "2 files" in result.output
    source_counts = _counts(app.config["SQLALCHEMY_DATABASE_URI"])
    source_files = _files(Path(app.config["UPLOAD_DIR"]))
    assert source_counts["inputs"] == 3 and source_counts["attachments"] == 2
    assert len(source_files) == 2

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["row_counts"] == source_counts
    assert {f["sha256"] for f in manifest["files"]} == set(source_files.values())

    restored = restore_into(empty_instance, str(archive))
    assert restored.exit_code == 0, restored.output
    assert "checksums and row counts match" in restored.output

    assert _counts(empty_instance.config["SQLALCHEMY_DATABASE_URI"]) == source_counts
    assert _files(Path(empty_instance.config["UPLOAD_DIR"])) == source_files
    with empty_instance.app_context():
        report = check_storage(verify_checksums=True)
        assert report.ok and report.rows_checked == 2


def test_restore_refuses_an_instance_in_use(app, runner, some_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 2
    assert "restore needs an empty instance" in result.output


def test_restore_refuses_a_damaged_backup(app, runner, some_data, empty_instance, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    result = restore_into(empty_instance, str(damaged))
    assert result.exit_code == 2
    assert "does not match its checksum" in result.output
    assert _files(Path(empty_instance.config["UPLOAD_DIR"])) == {}


def test_backup_while_people_submit_is_consistent(
    app, runner, consultation, cso_user, empty_instance, tmp_path, png_bytes
):
    """Rows and files in the backup match, although uploads go on during it."""
    stop = threading.Event()
    errors: list[BaseException] = []
    user_id, consultation_id = cso_user.id, consultation.id

    def keep_submitting() -> None:
        with app.app_context():
            try:
                while not stop.is_set():
                    user = db.session.get(type(cso_user), user_id)
                    item = factories.make_input(
                        db.session.get(type(consultation), consultation_id), user
                    )
                    store_attachment(user, io.BytesIO(png_bytes()), "x.png", item=item)
                    db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    writer = threading.Thread(target=keep_submitting)
    writer.start()
    try:
        archive = tmp_path / "live.tar.gz"
        for _ in range(3):
            result = runner.invoke(args=["backup", "--out", str(archive)])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors, errors
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["missing_files"] == []
    assert manifest["row_counts"]["attachments"] == len(manifest["files"])
    restored = restore_into(empty_instance, str(archive))
    assert restored.exit_code == 0, restored.output
    with empty_instance.app_context():
        report = check_storage(verify_checksums=True)
        assert report.ok, (report.rows_without_files, report.files_without_rows)
