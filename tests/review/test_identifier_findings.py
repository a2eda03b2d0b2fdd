"""Moderators see every finding; forwarding waits until each is redacted or dismissed.

Also replays the two leaks of the issue: a non-attributable input naming its own
organisation across a line break, and people named without a title, submitted
and reviewed through the API, must come out redacted in every external format.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Attribution, Status
from consult.review.findings import FindingDismissal
from tests import factories
from tests.conftest import new_api_client as api_client
from tests.digest.conftest import a_day_last_month as last_month
from tests.digest.conftest import publish_release as publish
from tests.digest.conftest import read_text_parts as text_parts

LEAK_BODY = (
    "Our Tunisian Forum for\nCommunity Safety runs night patrols with residents in Kasserine. "
    "Amira Haddad-Trabelsi trained 40 volunteers in 2023, and according to Nino Beridze "
    "the model works in Georgia too. TFCS volunteers keep the rota."
)
LEAK_SECRETS = (
    "Tunisian Forum for\nCommunity Safety",
    "Tunisian Forum",
    "Community Safety",
    "Amira Haddad-Trabelsi",
    "Haddad-Trabelsi",
    "Nino Beridze",
    "TFCS",
)


@pytest.fixture
def forum(app):
    org = factories.make_organisation(
        "Tunisian Forum for Community Safety", ["TN"], email="office@tfcs.example.org"
    )
    org.acronym = "TFCS"
    db.session.commit()
    return org


@pytest.fixture
def member(forum):
    return factories.make_user("amira@tfcs.example.org", "cso", organisation=forum)


@pytest.fixture
def moderator(app):
    return factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")


def _fresh(item_id) -> Input:
    db.session.expire_all()
    return db.session.get(Input, item_id)


def _page(app, user, item) -> str:
    client = factories.login(app.test_client(), user)
    return client.get(f"/review/inputs/{item.id}").get_data(as_text=True)


def test_review_page_lists_each_finding_with_its_kind_and_forwarding_waits(
    app, consultation, member, moderator
):
    item = factories.make_input(consultation, member, title="Night patrols", body=LEAK_BODY)
    html = _page(app, moderator, item)
    assert "Forwarding waits until each of these" in html
    for text, kind in (
        ("Tunisian Forum for\nCommunity Safety", "registered organisation, user or email"),
        ("Amira Haddad-Trabelsi", "person"),
        ("Nino Beridze", "person"),
    ):
        assert f'{text}</a>\n            (<span class="finding-kind">{kind}</span>' in html
    assert "2023" in html and "Kasserine" in html

    client = factories.login(app.test_client(), moderator)
    refused = client.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": item.version, "action": "forward"},
    )
    assert refused.status_code == 400
    assert "Redact or dismiss the 4 possible identifiers listed before forwarding." in (
        refused.get_data(as_text=True)
    )
    assert _fresh(item.id).status == Status.SUBMITTED


def test_redact_one_dismiss_the_rest_then_forward(app, consultation, member, moderator):
    item = factories.make_input(consultation, member, title="Night patrols", body=LEAK_BODY)
    client = factories.login(app.test_client(), moderator)
    findings = {f["text"]: f["key"] for f in _api_findings(app, moderator, item)["findings"]}
    client.post(
        f"/review/inputs/{item.id}/identifiers",
        data={"version": item.version, "redact": [findings["Amira Haddad-Trabelsi"]]},
    )
    saved = _fresh(item.id)
    assert "Amira" not in saved.effective_body
    html = _page(app, moderator, saved)
    keys = [f["key"] for f in _api_findings(app, moderator, saved)["findings"]]
    assert len(keys) == 3 and "Forwarding waits until each of these 3" in html

    response = client.post(
        f"/review/inputs/{item.id}/findings/dismiss",
        data={"version": saved.version, "redact": keys},
        follow_redirects=True,
    )
    assert "3 possible identifiers dismissed." in response.get_data(as_text=True)
    assert "Every possible identifier has been redacted or dismissed." in _page(
        app, moderator, _fresh(item.id)
    )
    # The audit log says what was dismissed by kind and field, never the text.
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "input.findings_dismissed")
    )
    assert event.detail == {"count": 3, "kinds": ["person", "registered"], "fields": ["body"]}
    dumped = json.dumps([e.detail for e in db.session.scalars(select(AuditEvent))])
    assert "Beridze" not in dumped and "Forum" not in dumped
    stored = db.session.scalars(select(FindingDismissal)).all()
    assert len(stored) == 3 and all(len(d.fingerprint) == 64 for d in stored)

    response = client.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": _fresh(item.id).version, "action": "forward"},
    )
    assert response.status_code == 302
    assert _fresh(item.id).status == Status.FORWARDED


def test_dismissing_nothing_is_a_clear_message(app, consultation, member, moderator):
    item = factories.make_input(consultation, member, title="Night patrols", body=LEAK_BODY)
    client = factories.login(app.test_client(), moderator)
    response = client.post(
        f"/review/inputs/{item.id}/findings/dismiss",
        data={"version": item.version},
        follow_redirects=True,
    )
    assert "Tick at least one possible identifier to dismiss." in response.get_data(as_text=True)


def test_attributable_inputs_forward_with_findings_left(app, consultation, member, moderator):
    item = factories.make_input(
        consultation,
        member,
        title="Night patrols",
        body=LEAK_BODY,
        attribution=Attribution.ATTRIBUTABLE,
    )
    assert "Forwarding waits" not in _page(app, moderator, item)
    client = factories.login(app.test_client(), moderator)
    response = client.post(
        f"/review/inputs/{item.id}/decide", data={"version": item.version, "action": "forward"}
    )
    assert response.status_code == 302
    assert _fresh(item.id).status == Status.FORWARDED


def _api_findings(app, user, item) -> dict:
    response = api_client(app, user).get(f"/inputs/{item.id}/findings")
    assert response.status_code == 200
    return response.get_json()


EXTERNAL_FORMATS = ("csv", "xlsx", "json", "docx", "html")


def test_the_two_leaks_replayed_through_the_api_come_out_redacted_everywhere(
    app, consultation, member, moderator, hq_user
):
    cso = api_client(app, member)
    created = cso.post(
        "/inputs",
        json={
            "consultation": consultation.slug,
            "priority": "ssr",
            "countries": ["TN"],
            "level": "local",
            "type": "good-practice",
            "title": "Night patrols with residents",
            "body": LEAK_BODY,
            "recommendations": [
                {"addressee": "eu", "text": "Fund patrols like those Nino Beridze describes."}
            ],
            "language": "en",
            "attribution": "non-attributable",
        },
    )
    assert created.status_code == 201, created.get_json()
    input_id = created.get_json()["id"]
    mod = api_client(app, moderator)
    version = mod.get(f"/inputs/{input_id}").get_json()["version"]

    refused = mod.post(
        f"/inputs/{input_id}/decision", json={"action": "forward", "version": version}
    )
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "findings_pending"
    listed = {(f["kind"], f["text"]) for f in error["findings"]}
    assert ("registered", "Tunisian Forum for\nCommunity Safety") in listed
    assert ("person", "Amira Haddad-Trabelsi") in listed
    assert ("person", "Nino Beridze") in listed
    assert ("registered", "TFCS") in listed
    assert len(error["findings"]) == 5  # the recommendation names Nino Beridze too

    # The moderator misjudges and dismisses them all: forwarding is then allowed ...
    keys = [f["key"] for f in error["findings"]]
    dismissed = mod.post(
        f"/inputs/{input_id}/findings/dismiss", json={"findings": keys, "version": version}
    )
    assert dismissed.status_code == 200 and dismissed.get_json()["pending"] == 0
    version = dismissed.get_json()["version"]
    forwarded = mod.post(
        f"/inputs/{input_id}/decision", json={"action": "forward", "version": version}
    )
    assert forwarded.status_code == 200 and forwarded.get_json()["status"] == "forwarded"

    # ... and every external format of the release still redacts what the detector finds.
    db.session.get(Input, uuid.UUID(input_id)).forwarded_at = last_month()
    db.session.commit()
    publish(consultation.slug, k=1)
    hq = api_client(app, hq_user)
    for fmt in EXTERNAL_FORMATS:
        response = hq.get(f"/digest?format={fmt}&audience=external")
        assert response.status_code == 200, fmt
        parts = text_parts(response.get_data())
        everything = "\n".join(parts.values())
        assert "Night patrols" in everything, fmt
        for secret in LEAK_SECRETS:
            for variant in (secret, secret.replace("\n", " ")):
                assert variant not in everything, f"{variant!r} in the {fmt} digest"
        assert "Kasserine" in everything and "2023" in everything


def test_api_redacts_findings_by_key_and_refuses_stale_versions(
    app, consultation, member, moderator
):
    item = factories.make_input(consultation, member, title="Night patrols", body=LEAK_BODY)
    mod = api_client(app, moderator)
    listed = mod.get(f"/inputs/{item.id}/findings").get_json()
    assert listed["needs_clearance"] is True and listed["pending"] == 4
    key = next(f["key"] for f in listed["findings"] if f["text"] == "Nino Beridze")
    stale = mod.post(f"/inputs/{item.id}/findings/redact", json={"findings": [key], "version": 99})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    done = mod.post(
        f"/inputs/{item.id}/findings/redact",
        json={"findings": [key], "version": listed["version"]},
    )
    assert done.status_code == 200 and done.get_json()["pending"] == 3
    assert "Nino Beridze" not in _fresh(item.id).effective_body
    bad = mod.post(f"/inputs/{item.id}/findings/dismiss", json={"findings": []})
    assert bad.status_code == 400
    assert set(bad.get_json()["error"]["fields"]) == {"findings", "version"}
