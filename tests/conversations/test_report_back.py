"""The report back: every participant is told of a release and downloads it; nothing else."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from sqlalchemy import select

from consult.digest.releases.publishing import create_release
from consult.extensions import db
from consult.notifications.models import Kind, Notification
from tests import factories
from tests.digest.conftest import build_digest_data


def _publish():
    release = create_release("enp-2026", None, None, now=datetime(2026, 7, 5))
    db.session.commit()
    return release


def test_participants_are_told_and_download_the_published_report(app, login):
    data = build_digest_data()
    outsider_org = factories.make_organisation("Never Took Part", ["TN"])
    outsider = factories.make_user("x@never.example.org", "cso", organisation=outsider_org)
    release = _publish()

    told = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == Kind.REPORT))
    )
    hidden_member = data.inputs["hidden"].author
    assert hidden_member.id in told
    assert outsider.id not in told

    client = login(app.test_client(), hidden_member)
    page = client.get("/organisation/reports").get_data(as_text=True)
    assert "Report #1" in page
    assert "Community forums in Kasserine" in page  # its own input, with its status
    assert "Oversight by parliament" not in page  # another organisation's input

    html = client.get(f"/organisation/reports/{release.id}/html?lang=en")
    assert html.status_code == 200 and html.mimetype == "text/html"
    text = html.get_data(as_text=True)
    assert "ENP security 2026" in text and "Chatham House" in text
    assert "Back to digests" not in text  # stands alone: no link into HQ's pages
    for secret in data.secret_identifiers:
        assert secret not in text, secret

    docx = client.get(f"/organisation/reports/{release.id}/docx?lang=fr")
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.data)) as archive:
        document = archive.read("word/document.xml").decode()
    assert "Contexte" in document or "Méthode" in document  # the French report

    outsider_client = login(app.test_client(), outsider)
    assert outsider_client.get(f"/organisation/reports/{release.id}/html").status_code == 404
    assert "Report #1" not in outsider_client.get("/organisation/reports").get_data(as_text=True)


def test_each_participant_sees_hq_feedback_on_its_own_inputs(app, login):
    data = build_digest_data()
    named = data.inputs["named"]
    named.status = "used"
    named.hq_feedback = "Quoted in the ministers' briefing."
    db.session.commit()
    own = login(app.test_client(), named.author).get("/organisation/reports").get_data(as_text=True)
    assert "Quoted in the ministers&#39; briefing." in own
    other = login(app.test_client(), data.inputs["hidden"].author)
    assert "ministers" not in other.get("/organisation/reports").get_data(as_text=True)
