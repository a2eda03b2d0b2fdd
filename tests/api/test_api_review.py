"""Reviewing through the API: queue, claim, corrections and redactions, decisions, conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.states import Status
from tests.factories import make_input, make_organisation, make_user


@pytest.fixture
def item(cso_user, consultation):
    return make_input(
        consultation,
        cso_user,
        title="Policing in Kasserine",
        body="Contact Amira at +216 20 123 456 about the forum.",
    )


def test_moderator_queue_lists_its_inputs_with_counts_and_pages(
    app, cso_user, consultation, moderator_user, api_client
):
    for n in range(3):
        make_input(consultation, cso_user, title=f"TN {n}")
    ua_org = make_organisation("Kyiv Watch", ["UA"])
    make_input(consultation, make_user("u@kw.example.org", "cso", organisation=ua_org))
    api = api_client(app, moderator_user)
    page = api.get("/review/queue?limit=2").get_json()
    assert page["counts"] == {"submitted": 3}
    assert len(page["items"]) == 2 and page["next"]
    rest = api.get(f"/review/queue?limit=2&after={page['next']}").get_json()
    assert [i["title"] for i in page["items"] + rest["items"]] == ["TN 0", "TN 1", "TN 2"]
    assert rest["next"] is None

    assert api.get("/review/queue?priority=ssr").get_json()["counts"] == {"submitted": 3}
    response = api.get("/review/queue?country=UA")
    assert response.status_code == 400 and "country" in response.get_json()["error"]["fields"]
    assert api.get("/review/queue?kind=elsewhere").status_code == 400


def test_cso_and_admin_have_no_queue(app, cso_user, admin_user, api_client):
    for user in (cso_user, admin_user):
        assert api_client(app, user).get("/review/queue").status_code == 404


def test_claim_correct_redact_and_forward(app, item, cso_user, moderator_user, hq_user, api_client):
    api = api_client(app, moderator_user)
    claimed = api.post(f"/inputs/{item.id}/claim").get_json()
    assert claimed["status"] == "in_review"
    assert claimed["claimed_by"] == moderator_user.display_name

    response = api.patch(
        f"/inputs/{item.id}/review",
        json={
            "version": claimed["version"],
            "passages": ["Amira", "+216 20 123 456"],
            "themes": ["youth"],
            "moderator_summary": "Forums between police and residents.",
        },
    )
    assert response.status_code == 200
    reviewed = response.get_json()
    assert reviewed["body"] == "Contact [redacted] at [redacted] about the forum."
    assert reviewed["themes"] == ["youth"] and reviewed["is_redacted"] is True
    assert reviewed["version"] > claimed["version"]

    response = api.post(
        f"/inputs/{item.id}/decision",
        json={"action": "forward", "message": "Strong case.", "version": reviewed["version"]},
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "forwarded"

    # HQ now sees it, redacted; the CSO still sees its own words and the event.
    at_hq = api_client(app, hq_user).get(f"/inputs/{item.id}").get_json()
    assert "Amira" not in at_hq["body"] and at_hq["hq_note"] == "Strong case."
    own = api_client(app, cso_user).get(f"/inputs/{item.id}").get_json()
    assert "Amira" in own["body"] and own["hq_note"] is None
    assert [e["kind"] for e in own["timeline"]] == ["submitted", "forwarded"]
    admin = make_user("root@example.org", "admin")
    sealed = api_client(app, admin).get(f"/inputs/{item.id}").get_json()
    assert "Amira" in sealed["original"]["body"]
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"input.claimed", "input.redacted", "input.forwarded"} <= actions


def test_stale_version_is_409_with_the_current_version(app, item, moderator_user, api_client):
    colleague = make_user("mod2.tn@eeas.example.org", "moderator", delegation="eud-tn")
    mine = api_client(app, moderator_user)
    theirs = api_client(app, colleague)
    loaded = mine.get(f"/inputs/{item.id}").get_json()["version"]

    # A colleague claims and releases it meanwhile.
    claimed = theirs.post(f"/inputs/{item.id}/claim").get_json()
    released = theirs.post(f"/inputs/{item.id}/release", json={"version": claimed["version"]})
    current = released.get_json()["version"]

    response = mine.post(
        f"/inputs/{item.id}/decision",
        json={"action": "return", "message": "Which district?", "version": loaded},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["current_version"] == current
    assert error["changes"]
    assert mine.get(f"/inputs/{item.id}").get_json()["status"] == "in_review"

    response = mine.post(
        f"/inputs/{item.id}/decision",
        json={"action": "return", "message": "Which district?", "version": current},
    )
    assert response.get_json()["status"] == "returned"


def test_claim_held_by_colleague_is_422_until_taken_over(app, item, moderator_user, api_client):
    colleague = make_user("mod2.tn@eeas.example.org", "moderator", delegation="eud-tn")
    api_client(app, colleague).post(f"/inputs/{item.id}/claim")
    api = api_client(app, moderator_user)
    response = api.post(f"/inputs/{item.id}/claim")
    assert response.status_code == 422
    response = api.post(f"/inputs/{item.id}/claim", json={"take_over": True})
    assert response.get_json()["claimed_by"] == moderator_user.display_name


def test_decision_validation(app, item, moderator_user, api_client):
    api = api_client(app, moderator_user)
    version = api.get(f"/inputs/{item.id}").get_json()["version"]
    response = api.post(f"/inputs/{item.id}/decision", json={"action": "forward"})
    assert response.status_code == 400 and "version" in response.get_json()["error"]["fields"]
    response = api.post(f"/inputs/{item.id}/decision", json={"action": "ok", "version": version})
    assert "action" in response.get_json()["error"]["fields"]
    response = api.post(
        f"/inputs/{item.id}/decision", json={"action": "return", "version": version}
    )
    assert response.status_code == 400 and "message" in response.get_json()["error"]["fields"]
    response = api.post(
        f"/inputs/{item.id}/decision", json={"action": "decline", "version": version}
    )
    assert "reason" in response.get_json()["error"]["fields"]
    response = api.post(
        f"/inputs/{item.id}/decision",
        json={"action": "decline", "reason": "out-of-scope", "version": version},
    )
    assert response.get_json()["status"] == "declined"
    # Decided: nothing more to decide.
    response = api.post(
        f"/inputs/{item.id}/decision",
        json={"action": "forward", "version": response.get_json()["version"]},
    )
    assert response.status_code == 422


def test_review_scope_is_404_for_other_delegations_and_roles(
    app, item, cso_user, hq_user, consultation, api_client
):
    other = make_user("mod.ua@eeas.example.org", "moderator", delegation="eud-ua")
    direct = make_input(consultation, cso_user, hq_direct=True)
    tn_moderator = make_user("mod3.tn@eeas.example.org", "moderator", delegation="eud-tn")
    for user, target in (
        (other, item),
        (hq_user, item),
        (cso_user, item),
        (tn_moderator, direct),
    ):
        api = api_client(app, user)
        for path in ("claim", "decision"):
            response = api.post(
                f"/inputs/{target.id}/{path}", json={"action": "forward", "version": 1}
            )
            assert response.status_code == 404, (user.email, path)
    # HQ reviews HQ-direct inputs itself.
    api = api_client(app, hq_user)
    claimed = api.post(f"/inputs/{direct.id}/claim").get_json()
    assert claimed["status"] == "in_review"


def test_hq_records_feedback_the_cso_sees(app, cso_user, hq_user, consultation, api_client):
    item = make_input(consultation, cso_user, status=Status.FORWARDED)
    response = api_client(app, hq_user).post(
        f"/inputs/{item.id}/feedback", json={"note": "Quoted in the 2026 progress report."}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "used"
    own = api_client(app, cso_user).get(f"/inputs/{item.id}").get_json()
    assert own["hq_feedback"] == "Quoted in the 2026 progress report."
