"""Submitting and reading inputs through the API: routing, idempotency, scoping, attachments."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Status
from tests.factories import make_consultation, make_input, make_organisation, make_user


def form(consultation, **overrides):
    data = {
        "consultation": consultation.slug,
        "priority": "ssr",
        "countries": ["TN"],
        "level": "national",
        "type": "context-analysis",
        "title": "Community policing forums",
        "body": "Joint forums between police and residents reduce tension.",
        "recommendations": [{"addressee": "eu", "text": "Fund joint forums."}],
        "themes": ["community-security"],
        "language": "en",
        "attribution": "non-attributable",
    }
    data.update(overrides)
    return data


def count_inputs() -> int:
    return db.session.scalar(select(func.count()).select_from(Input))


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- submitting


def test_cso_submits_and_the_input_is_routed_to_its_delegation(
    app, cso_user, consultation, api_client
):
    response = api_client(app, cso_user).post("/inputs", json=form(consultation))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "submitted" and body["routed_to"] == "delegation"
    assert body["delegation"] == "eud-tn" and body["themes"] == ["community-security"]
    assert response.headers["Location"] == f"/api/v1/inputs/{body['id']}"
    assert [e["kind"] for e in body["timeline"]] == ["submitted"]


def test_syria_and_hq_direct_go_to_hq(app, consultation, api_client):
    org = make_organisation("Damascus Voices", ["SY", "TN"])
    user = make_user("a@dv.example.org", "cso", organisation=org)
    api = api_client(app, user)
    syria = api.post("/inputs", json=form(consultation, countries=["SY"])).get_json()
    assert syria["routed_to"] == "hq" and syria["delegation"] is None
    direct = api.post("/inputs", json=form(consultation, hq_direct=True)).get_json()
    assert direct["routed_to"] == "hq" and direct["is_hq_direct"] is True


def test_draft_is_saved_without_routing_and_submitted_later(
    app, cso_user, consultation, api_client
):
    api = api_client(app, cso_user)
    response = api.post(
        "/inputs", json={"consultation": consultation.slug, "title": "Half done", "draft": True}
    )
    assert response.status_code == 201
    draft = response.get_json()
    assert draft["status"] == "draft" and draft["routed_to"] is None

    # Submitting it as it is names every missing field.
    response = api.post(f"/inputs/{draft['id']}/submit")
    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert {"priority", "countries", "level", "type", "body", "recommendations"} <= set(fields)

    response = api.post(f"/inputs/{draft['id']}/submit", json=form(consultation))
    assert response.status_code == 200
    assert response.get_json()["status"] == "submitted"
    assert count_inputs() == 1


def test_idempotency_key_makes_a_retry_return_the_first_input(
    app, cso_user, consultation, api_client
):
    api = api_client(app, cso_user)
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = api.post("/inputs", json=form(consultation), headers=headers)
    again = api.post("/inputs", json=form(consultation), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_inputs() == 1
    stored = db.session.scalar(select(Input.idempotency_key))
    assert stored == f"api:{cso_user.id}:retry-7f3a"

    # Without a key, or with another one, a second input is made.
    api.post("/inputs", json=form(consultation))
    api.post("/inputs", json=form(consultation), headers={"Idempotency-Key": "other"})
    assert count_inputs() == 3


def test_the_same_key_from_two_users_makes_two_inputs(
    app, cso_user, organisation, consultation, api_client
):
    colleague = make_user("second@tcf.example.org", "cso", organisation=organisation)
    headers = {"Idempotency-Key": "same"}
    one = api_client(app, cso_user).post("/inputs", json=form(consultation), headers=headers)
    two = api_client(app, colleague).post("/inputs", json=form(consultation), headers=headers)
    assert one.get_json()["id"] != two.get_json()["id"]


def test_bad_idempotency_key_is_400(app, cso_user, consultation, api_client):
    response = api_client(app, cso_user).post(
        "/inputs", json=form(consultation), headers={"Idempotency-Key": "has spaces"}
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.get_json()["error"]["fields"]


def test_validation_errors_name_each_field(app, cso_user, consultation, api_client):
    api = api_client(app, cso_user)
    response = api.post(
        "/inputs",
        json=form(
            consultation, priority="nope", countries=["AM", "XX"], title="", body="x" * 20001
        ),
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert {"priority", "countries", "title", "body"} <= set(error["fields"])

    response = api.post("/inputs", json=form(consultation, countries="TN", themes=[1], draft="y"))
    assert response.status_code == 400
    assert set(response.get_json()["error"]["fields"]) == {"draft"}

    response = api.post("/inputs", json={**form(consultation), "consultation": "unknown"})
    assert response.get_json()["error"]["fields"] == {
        "consultation": ["No consultation has this slug or id."]
    }
    assert count_inputs() == 0


def test_closed_consultation_and_unverified_organisation_are_422(app, consultation, api_client):
    closed = make_consultation("closed-one", open_=False)
    org = make_organisation("New Group", ["TN"], verified=False)
    user = make_user("x@new.example.org", "cso", organisation=org)
    api = api_client(app, user)
    response = api.post("/inputs", json=form(closed))
    assert response.status_code == 422 and "closed" in response.get_json()["error"]["message"]
    response = api.post("/inputs", json=form(consultation))
    assert response.status_code == 422 and "not verified" in response.get_json()["error"]["message"]
    # An unverified organisation may still keep drafts.
    assert api.post("/inputs", json=form(consultation, draft=True)).status_code == 201


@pytest.mark.parametrize("role", ["moderator", "hq", "admin"])
def test_only_cso_members_submit(
    app, consultation, role, moderator_user, hq_user, admin_user, api_client
):
    user = {"moderator": moderator_user, "hq": hq_user, "admin": admin_user}[role]
    response = api_client(app, user).post("/inputs", json=form(consultation))
    assert response.status_code == 404
    assert count_inputs() == 0


# --------------------------------------------------------------------------- reading and scope


@pytest.fixture
def landscape(app, cso_user, consultation):
    """One input of each kind a scope rule distinguishes."""
    ua_org = make_organisation("Kyiv Watch", ["UA"])
    ua_user = make_user("m@kw.example.org", "cso", organisation=ua_org)
    return {
        "tn": make_input(consultation, cso_user, title="TN pending"),
        "tn_draft": make_input(consultation, cso_user, status=Status.DRAFT, title="TN draft"),
        "tn_direct": make_input(consultation, cso_user, hq_direct=True, title="TN direct"),
        "ua": make_input(consultation, ua_user, title="UA pending"),
        "ua_forwarded": make_input(
            consultation, ua_user, status=Status.FORWARDED, title="UA forwarded"
        ),
        "ua_user": ua_user,
    }


@pytest.fixture
def visible_titles(app, api_client):
    """``visible_titles(user)``: the titles the API lists to ``user``."""

    def titles(user) -> set[str]:
        items = api_client(app, user).get("/inputs").get_json()["items"]
        return {item["title"] for item in items}

    return titles


def test_each_role_lists_what_it_may_see(
    app, landscape, cso_user, moderator_user, hq_user, visible_titles
):
    admin = make_user("root@example.org", "admin")
    assert visible_titles(cso_user) == {"TN pending", "TN draft", "TN direct"}
    assert visible_titles(landscape["ua_user"]) == {"UA pending", "UA forwarded"}
    assert visible_titles(moderator_user) == {"TN pending"}
    assert visible_titles(hq_user) == {"TN direct", "UA forwarded"}
    assert visible_titles(admin) == {
        "TN pending",
        "TN direct",
        "UA pending",
        "UA forwarded",
    }


def test_each_role_gets_404_outside_its_scope(
    app, landscape, cso_user, moderator_user, hq_user, api_client
):
    cases = {
        cso_user: ["ua", "ua_forwarded"],
        moderator_user: ["tn_draft", "tn_direct", "ua", "ua_forwarded"],
        hq_user: ["tn", "tn_draft", "ua"],
    }
    for user, hidden in cases.items():
        api = api_client(app, user)
        for name in hidden:
            response = api.get(f"/inputs/{landscape[name].id}")
            assert response.status_code == 404, (user.role, name)
            assert response.get_json()["error"]["code"] == "not_found"
    api = api_client(app, cso_user)
    assert api.get("/inputs/not-a-uuid").status_code == 404
    assert api.get(f"/inputs/{landscape['tn'].id}").status_code == 200


def test_hq_sees_who_sent_an_hq_direct_input_and_the_cso_its_own_text(
    app, landscape, cso_user, hq_user, api_client
):
    item = landscape["tn_direct"]
    detail = api_client(app, hq_user).get(f"/inputs/{item.id}").get_json()
    assert detail["organisation"]["name"] == "Tunis Civic Forum"
    assert detail["is_hq_direct"] is True
    own = api_client(app, cso_user).get(f"/inputs/{item.id}").get_json()
    assert own["body"] == item.body and own["moderator_summary"] is None


def test_list_is_paged_with_a_cursor(app, cso_user, consultation, api_client):
    for n in range(5):
        make_input(consultation, cso_user, title=f"Input {n}")
    api = api_client(app, cso_user)
    seen: list[str] = []
    page = api.get("/inputs?limit=2").get_json()
    while True:
        seen.extend(item["id"] for item in page["items"])
        if page["next"] is None:
            break
        page = api.get(f"/inputs?limit=2&after={page['next']}").get_json()
    assert len(seen) == len(set(seen)) == 5
    assert api.get("/inputs?after=garbage!").status_code == 400
    assert api.get("/inputs?limit=0").status_code == 400
    assert api.get("/inputs?status=forwarded").get_json()["items"] == []


# --------------------------------------------------------------------------- attachments


def _draft_with_a_photo(api, consultation):  # noqa: ANN001, ANN202
    """A new draft, and the answer to attaching a PNG to it."""
    draft = api.post("/inputs", json=form(consultation, draft=True)).get_json()
    response = api.post(
        f"/inputs/{draft['id']}/attachments",
        data={"file": (io.BytesIO(png_bytes()), "photo.png")},
        content_type="multipart/form-data",
    )
    return draft, response


def test_attach_a_file_to_a_draft(app, cso_user, consultation, api_client):
    api = api_client(app, cso_user)
    draft, response = _draft_with_a_photo(api, consultation)
    assert response.status_code == 201
    assert response.get_json()["content_type"] == "image/png"
    detail = api.get(f"/inputs/{draft['id']}").get_json()
    assert [a["filename"] for a in detail["attachments"]] == ["photo.png"]


def test_an_attachment_is_downloaded_byte_for_byte_within_scope(
    app, cso_user, consultation, api_client
):
    api = api_client(app, cso_user)
    draft, response = _draft_with_a_photo(api, consultation)
    stored = response.get_json()
    url = stored["url"].removeprefix("/api/v1")
    assert url == f"/inputs/{draft['id']}/attachments/{stored['id']}"
    file = api.get(url)
    assert file.status_code == 200 and file.mimetype == "image/png"
    assert file.get_data()[:8] == b"\x89PNG\r\n\x1a\n" and len(file.get_data()) == stored["size"]
    other_org = make_organisation("Kyiv Civic Watch", ["UA"])
    outsider = make_user("member@kcw.example.org", "cso", organisation=other_org)
    assert api_client(app, outsider).get(url).status_code == 404


def test_attachment_errors(make_app, app, cso_user, consultation, api_client):
    api = api_client(app, cso_user)
    draft = api.post("/inputs", json=form(consultation, draft=True)).get_json()
    url = f"/inputs/{draft['id']}/attachments"

    response = api.post(url, data={"file": (io.BytesIO(b"MZ\x90\x00 not a document"), "tool.pdf")})
    assert response.status_code == 415
    assert "file" in response.get_json()["error"]["fields"]

    response = api.post(url, json={"file": "nope"})
    assert response.status_code == 415

    response = api.post(url, data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "file" in response.get_json()["error"]["fields"]

    small = make_app(MAX_ATTACHMENT_BYTES=1024)
    big = api_client(small, token=api.token).post(
        url, data={"file": (io.BytesIO(b"%PDF-1.4" + b"0" * 4000), "big.pdf")}
    )
    assert big.status_code == 413
    assert big.get_json()["error"]["code"] == "payload_too_large"

    submitted = api.post("/inputs", json=form(consultation)).get_json()
    response = api.post(
        f"/inputs/{submitted['id']}/attachments",
        data={"file": (io.BytesIO(png_bytes()), "late.png")},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_nobody_attaches_to_another_organisations_input(app, landscape, moderator_user, api_client):
    ua_draft = make_input(landscape["ua"].consultation, landscape["ua_user"], status=Status.DRAFT)
    for user in (landscape["tn"].author, moderator_user):
        response = api_client(app, user).post(
            f"/inputs/{ua_draft.id}/attachments",
            data={"file": (io.BytesIO(png_bytes()), "x.png")},
        )
        assert response.status_code == 404


def test_list_scope_agrees_with_can_see_input(app, landscape, cso_user, moderator_user, hq_user):
    from consult.inputs.scope import can_see_input, input_scope

    admin = make_user("root@example.org", "admin")
    items = list(db.session.scalars(select(Input)))
    for user in (cso_user, landscape["ua_user"], moderator_user, hq_user, admin):
        listed = set(db.session.scalars(select(Input.id).where(input_scope(user))))
        assert listed == {i.id for i in items if can_see_input(user, i)}, user.role
