"""Rows and files together: no attachment row without its file, no file without its row."""

from __future__ import annotations

import io
import os
import time

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Attachment
from consult.maintenance.storage import ORPHAN_GRACE_SECONDS
from consult.submissions.attachments import attachment_path, delete_attachment, store_attachment
from tests import factories


@pytest.fixture
def _store(png_bytes):
    def _store(user, item=None, key="form-key"):
        return store_attachment(
            user, io.BytesIO(png_bytes()), "photo.png", item=item, upload_key=None if item else key
        )

    return _store


def _age(path, seconds=ORPHAN_GRACE_SECONDS + 60):
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_rolled_back_upload_leaves_no_file(app, cso_user, _store):
    att = _store(cso_user)
    path = attachment_path(att)
    assert path.is_file()  # written (and fsynced) before the row commits
    db.session.rollback()
    assert not path.exists()
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_session_closed_without_commit_leaves_no_file(app, cso_user, _store):
    att = _store(cso_user)
    path = attachment_path(att)
    db.session.close()  # what the request teardown does after an unhandled error
    assert not path.exists()


def test_a_committed_upload_keeps_its_file(app, cso_user, _store):
    att = _store(cso_user)
    db.session.commit()
    path = attachment_path(att)
    db.session.rollback()  # a later rollback must not touch a committed file
    assert path.is_file()


def test_a_deletion_removes_the_file_only_once_committed(app, consultation, cso_user, _store):
    item = factories.make_input(consultation, cso_user)
    att = _store(cso_user, item)
    db.session.commit()
    path = attachment_path(att)
    delete_attachment(att)
    assert path.is_file()
    db.session.rollback()
    assert path.is_file()  # the row is back, so must its file be
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    delete_attachment(db.session.get(Attachment, att.id))
    db.session.commit()
    assert not path.exists()


def test_check_storage_is_ok_when_rows_and_files_match(app, runner, consultation, cso_user, _store):
    item = factories.make_input(consultation, cso_user)
    _store(cso_user, item)
    db.session.commit()
    result = runner.invoke(args=["check-storage", "--verify"])
    assert result.exit_code == 0, result.output
    assert "checked 1 attachment rows and 1 files: ok" in result.output


def test_check_storage_finds_and_fixes_files_without_rows(app, runner, upload_root):
    orphan = upload_root / "0123456789abcdef0123456789abcdef01234567"
    orphan.write_bytes(b"left behind by a crash")
    _age(orphan)
    young = upload_root / "fedcba9876543210fedcba9876543210fedcba98"
    young.write_bytes(b"an upload whose row is being committed")

    result = runner.invoke(args=["check-storage"])
    assert result.exit_code == 1
    assert f"file without a row: {orphan}" in result.output
    assert f"recent file without a row (upload in progress?): {young}" in result.output
    assert orphan.exists()

    result = runner.invoke(args=["check-storage", "--fix"])
    assert result.exit_code == 0, result.output
    assert f"removed file without a row: {orphan}" in result.output
    assert not orphan.exists()
    assert young.exists()  # too young to be sure: never removed


def test_check_storage_finds_rows_without_files(app, runner, consultation, cso_user, _store):
    item = factories.make_input(consultation, cso_user)
    att = _store(cso_user, item)
    db.session.commit()
    attachment_path(att).unlink()
    result = runner.invoke(args=["check-storage", "--fix"])
    assert result.exit_code == 1
    assert f"row without a file: attachment {att.id} (input {item.id})" in result.output
    # --fix never deletes rows: the operator restores the file from a backup.
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_check_storage_verify_finds_damaged_files(app, runner, consultation, cso_user, _store):
    item = factories.make_input(consultation, cso_user)
    att = _store(cso_user, item)
    db.session.commit()
    attachment_path(att).write_bytes(b"not the stored bytes")
    assert runner.invoke(args=["check-storage"]).exit_code == 0
    result = runner.invoke(args=["check-storage", "--verify"])
    assert result.exit_code == 1
    assert f"checksum mismatch: attachment {att.id}" in result.output
