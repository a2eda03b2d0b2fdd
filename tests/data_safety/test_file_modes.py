"""What the app writes is private to its account: files 0600, folders 0700,
whatever the umask; check-storage reports (and --fix tightens) anything looser."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from consult.inputs.states import Status
from consult.submissions.attachments import attachment_path, store_attachment
from tests import factories
from tests.sample_files import pdf_with_author


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def _usual_umask():
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(old)


def test_uploads_are_0600_in_a_0700_folder(make_app, consultation, cso_user, tmp_path):
    uploads = tmp_path / "new" / "uploads"
    app = make_app(UPLOAD_DIR=str(uploads))
    assert mode(uploads) == 0o700
    with app.app_context():
        item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
        att = store_attachment(cso_user, io.BytesIO(pdf_with_author()), "a.pdf", item=item)
        assert mode(attachment_path(att)) == 0o600


def test_sqlite_database_and_its_folder_are_private(make_app, tmp_path):
    folder = tmp_path / "instance"
    make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'consult.sqlite'}")
    assert mode(folder) == 0o700
    assert mode(folder / "consult.sqlite") == 0o600


def test_backups_are_0600_in_a_0700_folder(app, runner, tmp_path):
    archive = tmp_path / "backups" / "consult.tar.gz"
    result = runner.invoke(args=["backup", "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert mode(archive) == 0o600
    assert mode(archive.parent) == 0o700


def test_restored_files_are_private(app, runner, cso_user, consultation, tmp_path):
    from consult.extensions import db

    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    att = store_attachment(cso_user, io.BytesIO(pdf_with_author()), "a.pdf", item=item)
    db.session.commit()
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", "--out", str(archive)]).exit_code == 0
    path = attachment_path(att)
    path.unlink()
    result = runner.invoke(args=["restore", "--force", str(archive)])
    assert result.exit_code == 0, result.output
    assert mode(path) == 0o600


def test_check_storage_reports_and_fixes_loose_modes(app, runner):
    uploads = Path(app.config["UPLOAD_DIR"])
    instance = Path(app.instance_path)
    loose_file = instance / "notes.txt"
    loose_file.write_text("x")
    os.chmod(loose_file, 0o644)  # noqa: S103 - the loose mode under test
    os.chmod(uploads, 0o755)  # noqa: S103 - the loose mode under test
    try:
        result = runner.invoke(args=["check-storage"])
        assert result.exit_code == 1
        assert f"file mode too open: {loose_file} is 0644, should be 0600" in result.output
        assert f"{uploads.resolve()} is 0755, should be 0700" in result.output
        result = runner.invoke(args=["check-storage", "--fix"])
        assert "made private" in result.output
        assert mode(loose_file) == 0o600 and mode(uploads) == 0o700
        assert runner.invoke(args=["check-storage"]).exit_code == 0
    finally:
        loose_file.unlink()
        os.chmod(uploads, 0o700)
