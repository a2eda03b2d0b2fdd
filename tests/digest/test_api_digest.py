"""The digest download through the API, and the OpenAPI description itself."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.states import Attribution, Status
from tests.factories import make_input


@pytest.fixture
def forwarded(cso_user, consultation, last_month, publish):
    """Three inputs forwarded last month (one EU staff only), published in a release.

    The release is published with k=1: these tests are about the API, not small groups.
    """
    inputs = [
        make_input(
            consultation,
            cso_user,
            status=Status.FORWARDED,
            title=f"Forwarded {n}",
            attribution=Attribution.EU_ONLY if n == 2 else Attribution.NON_ATTRIBUTABLE,
            forwarded_at=last_month(),
        )
        for n in range(3)
    ]
    publish(consultation.slug, k=1)
    return inputs


def test_hq_downloads_a_csv_digest_streamed(app, forwarded, hq_user, api_client):
    response = api_client(app, hq_user).get("/digest?format=csv&audience=internal")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment;" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r["title"] for r in rows) == ["Forwarded 0", "Forwarded 1", "Forwarded 2"]
    assert "Tunis Civic Forum" not in response.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "digest.downloaded"))
    assert event.detail["via"] == "api" and event.detail["format"] == "csv"


def test_external_json_digest_leaves_out_eu_only_inputs(app, forwarded, hq_user, api_client):
    response = api_client(app, hq_user).get("/digest?format=json&audience=external")
    assert response.status_code == 200 and response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    json.loads(text)
    assert "Forwarded 2" not in text
    assert {i["title"] for i in json.loads(text)["inputs"]} == {"Forwarded 0", "Forwarded 1"}
    assert json.loads(text)["release"]["number"] == 1
    assert response.headers["X-Digest-Count"] == "2"


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "html"])
def test_other_formats(app, forwarded, hq_user, fmt, api_client):
    response = api_client(app, hq_user).get(f"/digest?format={fmt}")
    assert response.status_code == 200 and len(response.get_data()) > 100


def test_bad_filter_names_valid_values(app, hq_user, api_client):
    api = api_client(app, hq_user)
    error = api.get("/digest?format=csv&priority=nope").get_json()["error"]
    assert error["code"] == "validation_failed" and "ssr" in error["fields"]["priority"][0]
    assert api.get("/digest?format=pdf").get_json()["error"]["fields"]["format"]
    assert api.get("/digest?since=yesterday").status_code == 400


@pytest.mark.parametrize("role", ["cso", "moderator", "admin"])
def test_only_hq_downloads_digests(app, role, cso_user, moderator_user, admin_user, api_client):
    user = {"cso": cso_user, "moderator": moderator_user, "admin": admin_user}[role]
    assert api_client(app, user).get("/digest?format=csv").status_code == 404


def test_openapi_document_lists_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    described = {
        f"api.{op['operationId']}" for ops in document["paths"].values() for op in ops.values()
    }
    served = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
    }
    assert described == served
    for path in document["paths"]:
        rule = "/api/v1" + path.replace("{", "<").replace("}", ">")
        assert rule in {r.rule for r in app.url_map.iter_rules()}, path


def test_reference_lists_slugs_and_delegation_countries(app, cso_user, consultation, api_client):
    api = api_client(app, cso_user)
    reference = api.get("/reference").get_json()
    assert [p["slug"] for p in reference["priorities"]][:2] == ["ssr", "terrorism"]
    delegations = {d["slug"]: d["countries"] for d in reference["delegations"]}
    assert delegations["eud-tn"] == ["TN"]
    assert "SY" not in {c for codes in delegations.values() for c in codes}
    syria = next(c for c in reference["countries"] if c["code"] == "SY")
    assert syria["delegation"] is None
    assert {a["slug"] for a in reference["attributions"]} == {
        "non-attributable",
        "attributable",
        "eu-only",
    }
    consultations = api.get("/consultations").get_json()["items"]
    assert consultations[0]["slug"] == consultation.slug and consultations[0]["is_open"]
    assert "TN" in consultations[0]["countries"]
