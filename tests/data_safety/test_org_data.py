"""A CSO's organisation admin exports the organisation's data and asks for its erasure."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.audit.models import AuditEvent
from consult.auth.models import User
from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import Attachment, Input
from consult.maintenance.models import PurgedInputCount
from consult.organisations.models import Organisation
from consult.submissions.attachments import attachment_path, store_attachment
from consult.timeutil import utcnow
from tests import factories


@pytest.fixture
def org_admin(cso_user):
    cso_user.is_org_admin = True
    db.session.commit()
    return cso_user


@pytest.fixture
def data_of_two_orgs(app, consultation, org_admin, png_bytes):
    mine = factories.make_input(
        consultation,
        org_admin,
        title="Our police forum",
        body="Body written by us",
        moderator_summary="internal moderator summary",
        hq_note="internal hq note",
        hq_feedback="Used in the 2026 programming",
    )
    db.session.add(
        ReviewEvent(
            input_id=mine.id, kind="returned", message="Which district?", is_visible_to_cso=True
        )
    )
    db.session.add(ReviewEvent(input_id=mine.id, kind="corrected", message="staff only remark"))
    att = store_attachment(org_admin, io.BytesIO(png_bytes("blue")), "map.png", item=mine)
    other_org = factories.make_organisation("Kyiv Watch", ["UA"])
    other_user = factories.make_user("a@kyiv.example.org", "cso", organisation=other_org)
    theirs = factories.make_input(consultation, other_user, title="Their input", body="theirs")
    their_att = store_attachment(other_user, io.BytesIO(png_bytes()), "theirs.png", item=theirs)
    db.session.commit()
    return mine, att, theirs, their_att, other_org


def test_only_the_org_admin_sees_the_data_page(app, client, login, cso_user):
    login(client, cso_user)
    assert client.get("/organisation/data").status_code == 404
    assert client.post("/organisation/data/export").status_code == 404
    assert client.post("/organisation/data/erasure", data={"confirm": "yes"}).status_code == 404
    cso_user.is_org_admin = True
    db.session.commit()
    page = client.get("/organisation/data")
    assert page.status_code == 200
    assert "Download our data (ZIP)" in page.get_data(as_text=True)


def test_staff_never_see_an_organisation_data_page(app, client, login, moderator_user):
    moderator_user.is_org_admin = True  # even if the flag were set by mistake
    db.session.commit()
    login(client, moderator_user)
    assert client.get("/organisation/data").status_code == 404


def test_export_holds_our_data_and_files_and_nothing_else(
    app, client, login, org_admin, data_of_two_orgs
):
    mine, att, theirs, _their_att, _other = data_of_two_orgs
    login(client, org_admin)
    response = client.post("/organisation/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"organisation.json", "members.json", "inputs.json", "export.json"} <= names

    org = json.loads(archive.read("organisation.json"))
    assert org["name"] == "Tunis Civic Forum"
    members = json.loads(archive.read("members.json"))
    assert [m["email"] for m in members] == [org_admin.email]
    assert "password" not in archive.read("members.json").decode()
    assert "totp_secret" not in archive.read("members.json").decode()

    inputs = json.loads(archive.read("inputs.json"))
    assert [i["id"] for i in inputs] == [str(mine.id)]
    exported = inputs[0]
    assert exported["body"] == "Body written by us"
    assert exported["hq_feedback"] == "Used in the 2026 programming"
    assert [f["message"] for f in exported["feedback"] if f["message"]] == ["Which district?"]
    raw = archive.read("inputs.json").decode()
    for internal in ("internal moderator summary", "internal hq note", "staff only remark"):
        assert internal not in raw
    assert "Their input" not in raw and "theirs" not in raw

    (file_entry,) = exported["attachments"]
    data = archive.read(file_entry["path"])
    assert hashlib.sha256(data).hexdigest() == att.sha256 == file_entry["sha256"]
    assert data == attachment_path(att).read_bytes()
    assert not any("theirs.png" in n for n in names)

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "organisation.exported")
    )
    assert event.actor_id == org_admin.id and event.detail == {"inputs": 1, "files": 1}


def test_erasure_needs_confirmation_and_can_be_withdrawn(app, client, login, org_admin):
    login(client, org_admin)
    refused = client.post("/organisation/data/erasure", data={})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, org_admin.organisation_id).erasure_requested_at is None

    done = client.post("/organisation/data/erasure", data={"confirm": "yes"}, follow_redirects=True)
    assert "Your request for erasure is recorded" in done.get_data(as_text=True)
    assert "Withdraw the request" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, org_admin.organisation_id).erasure_requested_at is not None

    withdrawn = client.post(
        "/organisation/data/erasure", data={"action": "cancel"}, follow_redirects=True
    )
    assert "withdrawn" in withdrawn.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, org_admin.organisation_id).erasure_requested_at is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("organisation.erasure%"))
    ).all()
    assert sorted(actions) == ["organisation.erasure_cancelled", "organisation.erasure_requested"]


def test_admin_carries_out_requested_erasure(
    app, client, runner, login, org_admin, data_of_two_orgs, png_bytes
):
    mine, att, theirs, their_att, other_org = data_of_two_orgs
    my_org_id = org_admin.organisation_id
    my_user_id = org_admin.id
    mine_id, theirs_id = mine.id, theirs.id
    my_file, their_file = attachment_path(att), attachment_path(their_att)
    pending = store_attachment(
        org_admin, io.BytesIO(png_bytes("green")), "pending.png", upload_key="form-1"
    )
    db.session.commit()
    pending_file = attachment_path(pending)

    # Without a request, --erase-requested erases nothing.
    result = runner.invoke(args=["purge", "--erase-requested"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2

    login(client, org_admin)
    client.post("/organisation/data/erasure", data={"confirm": "yes"})
    result = runner.invoke(args=["purge", "--erase-requested"])
    assert result.exit_code == 0, result.output
    assert "organisations erased: 1" in result.output

    db.session.expire_all()
    assert db.session.get(Organisation, my_org_id) is None
    assert db.session.get(User, my_user_id) is None
    assert db.session.get(Input, mine_id) is None
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Attachment)
            .where(Attachment.organisation_id == my_org_id)
        )
        == 0
    )
    assert not my_file.exists() and not pending_file.exists()

    # The other organisation keeps everything.
    assert db.session.get(Organisation, other_org.id) is not None
    assert db.session.get(Input, theirs_id) is not None
    assert their_file.is_file()

    # Only an anonymous count, and an audit row without the name, remain.
    (cell,) = db.session.scalars(select(PurgedInputCount)).all()
    assert (cell.priority_slug, cell.country_code, cell.count) == ("ssr", "TN", 1)
    erased = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.erased"))
    assert erased.object_id == str(my_org_id)
    assert "Tunis" not in json.dumps(erased.detail)
    # The erased admin's session no longer works.
    assert client.get("/organisation/data").status_code == 302


def test_erasure_request_does_not_expire_on_its_own(app, runner, org_admin):
    org = db.session.get(Organisation, org_admin.organisation_id)
    org.erasure_requested_at = utcnow() - timedelta(days=400)
    db.session.commit()
    # A plain purge (retention only) never erases an organisation.
    assert runner.invoke(args=["purge"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(Organisation, org.id) is not None
