"""Retention: inputs of a consultation closed longer than RETENTION_DAYS ago are purged.

The clock is frozen past the retention period; the test checks that rows and
files are gone and that only the aggregate counts remain.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select, text

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.models import Attachment, Input, Recommendation
from consult.inputs.states import Status
from consult.maintenance.models import PurgedInputCount
from consult.submissions.attachments import attachment_path, store_attachment
from consult.timeutil import utcnow
from tests import factories


@pytest.fixture
def attach(png_bytes):
    def attach(user, item, name: str = "photo.png") -> Path:
        att = store_attachment(user, io.BytesIO(png_bytes()), name, item=item)
        db.session.commit()
        return attachment_path(att)

    return attach


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def old_and_new(app, cso_user):
    """A consultation that closes in 30 days and one that stays open a long time."""
    old = factories.make_consultation("closing-soon")
    new = factories.make_consultation("long-running", title="Long running")
    new.closes_at = utcnow() + timedelta(days=3000)
    db.session.commit()
    return old, new


def test_purge_deletes_expired_inputs_and_files_and_keeps_counts(
    app, runner, cso_user, old_and_new, attach
):
    old, new = old_and_new
    app.config["RETENTION_DAYS"] = 365
    a = factories.make_input(old, cso_user, countries=["TN"], priority="ssr")
    b = factories.make_input(old, cso_user, countries=["TN", "LY"], priority="ssr")
    c = factories.make_input(
        old, cso_user, countries=["LY"], priority="crisis", type_="good-practice"
    )
    draft = factories.make_input(old, cso_user, status=Status.DRAFT, title="never sent")
    kept = factories.make_input(new, cso_user, title="still in retention")
    old_files = [attach(cso_user, a), attach(cso_user, a, "second.png"), attach(cso_user, c)]
    kept_file = attach(cso_user, kept)
    old_ids = [a.id, b.id, c.id, draft.id]
    assert all(p.is_file() for p in old_files)

    # One day before the retention period ends, nothing goes.
    with freeze_time(old.closes_at + timedelta(days=364)):
        result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert count(Input, Input.id.in_(old_ids)) == 4
    assert all(p.is_file() for p in old_files)

    with freeze_time(old.closes_at + timedelta(days=366)):
        result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "inputs deleted: 4" in result.output
    assert "attachments deleted: 3" in result.output

    assert count(Input, Input.id.in_(old_ids)) == 0
    assert count(Attachment, Attachment.input_id.in_(old_ids)) == 0
    assert count(Recommendation, Recommendation.input_id.in_(old_ids)) == 0
    for table in ("input_countries", "input_themes", "review_events", "input_revisions"):
        left = db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
        # Only the kept input's rows remain.
        assert (
            left
            == {
                "input_countries": 1,
                "input_themes": 0,
                "review_events": 1,
                "input_revisions": 0,
            }[table]
        )
    assert not any(p.exists() for p in old_files)

    # The other consultation is untouched.
    assert count(Input, Input.id == kept.id) == 1
    assert kept_file.is_file()

    # Counts of submitted inputs survive, per priority x main country x type; the draft does not.
    cells = {
        (row.priority_slug, row.country_code, row.type_slug): row.count
        for row in db.session.scalars(
            select(PurgedInputCount).where(PurgedInputCount.consultation_id == old.id)
        )
    }
    assert cells == {
        ("ssr", "TN", "context-analysis"): 2,
        ("crisis", "LY", "good-practice"): 1,
    }
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
    assert audit is not None and audit.object_id == str(old.id)
    assert audit.detail["inputs"] == 4


def test_purge_dry_run_deletes_nothing(app, runner, cso_user, old_and_new, attach):
    old, _new = old_and_new
    app.config["RETENTION_DAYS"] = 30
    item = factories.make_input(old, cso_user)
    path = attach(cso_user, item)
    with freeze_time(old.closes_at + timedelta(days=31)):
        result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and "inputs deleted: 1" in result.output
    assert count(Input, Input.id == item.id) == 1
    assert path.is_file()


def test_purge_runs_again_and_adds_to_counts(app, runner, cso_user, old_and_new):
    old, _new = old_and_new
    app.config["RETENTION_DAYS"] = 10
    factories.make_input(old, cso_user)
    with freeze_time(old.closes_at + timedelta(days=11)):
        assert runner.invoke(args=["purge"]).exit_code == 0
    # A late straggler (e.g. restored from a backup) is purged on the next run.
    with freeze_time(old.closes_at + timedelta(days=12)):
        factories.make_input(old, cso_user)
        assert runner.invoke(args=["purge"]).exit_code == 0
    db.session.expire_all()
    total = db.session.scalar(
        select(func.sum(PurgedInputCount.count)).where(PurgedInputCount.consultation_id == old.id)
    )
    assert total == 2
    assert count(Input, Input.consultation_id == old.id) == 0


def test_abandoned_uploads_are_purged_after_a_day(app, runner, cso_user, old_and_new, png_bytes):
    pending = store_attachment(cso_user, io.BytesIO(png_bytes()), "draft.png", upload_key="k1")
    db.session.commit()
    path = attachment_path(pending)
    with freeze_time(utcnow() + timedelta(hours=2)):
        assert runner.invoke(args=["purge"]).exit_code == 0
    assert path.is_file()
    with freeze_time(utcnow() + timedelta(hours=25)):
        result = runner.invoke(args=["purge"])
    assert "abandoned uploads deleted: 1" in result.output
    assert count(Attachment, Attachment.upload_key == "k1") == 0
    assert not path.exists()
