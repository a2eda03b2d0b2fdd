"""Publishing external releases: periods, naming, immutability, the page, the CLI and the API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from consult.audit.models import AuditEvent
from consult.digest.releases.models import Release, ReleaseInput
from consult.digest.releases.publishing import ReleaseError, create_release
from consult.digest.services import parse_filters, render_digest
from consult.extensions import db
from consult.inputs.states import Attribution, Status
from tests import factories

LATER = datetime(2026, 7, 5)  # the test data is forwarded in March to May 2026


@pytest.fixture
def data(app, make_digest_data):
    return make_digest_data()


def _json(**filters) -> dict:
    chunks = render_digest("json", parse_filters(filters), None, via="cli").chunks
    return json.loads(b"".join(chunks))


def _publish(slug="enp-2026", period=None, now=LATER) -> Release:
    release = create_release(slug, None, period, now=now)
    db.session.commit()
    return release


def test_a_release_freezes_forwarded_inputs_of_whole_months(data):
    release = _publish(period="2026-03..2026-04")
    titles = {item.title for item in db.session.scalars(db.select(ReleaseInput))}
    # March and April only; the EU-staff-only, merged, in-review inputs never. Two
    # organisations in Tunisia are a small group: the title's town reads [place].
    assert "Community forums in [place]" in titles
    assert "Oversight by parliament" in titles
    assert "Neighbourhood watch that works" not in titles  # forwarded in May
    assert not any("EU-ONLY" in t or "DUPLICATE" in t or "IN-REVIEW" in t for t in titles)
    assert (release.period_start, release.period_end, release.number) == ("2026-03", "2026-04", 1)
    # Frozen: a later change to the input does not change the release.
    data.inputs["named"].reviewed_title = "Changed after publication"
    db.session.commit()
    document = _json(consultation="enp-2026")
    assert "Oversight by parliament" in {i["title"] for i in document["inputs"]}


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-07", "2026-07 is not over yet"),
        ("2026-13", "not a month"),
        ("March 2026", "YYYY-MM..YYYY-MM"),
        ("2026-05..2026-03", "starts (2026-05) after it ends (2026-03)"),
        ("2025-01", "there is nothing to publish"),
    ],
)
def test_a_period_that_cannot_be_published_says_why(data, period, message):
    with pytest.raises(ReleaseError) as refused:
        create_release("enp-2026", None, period, now=LATER)
    assert message in str(refused.value)
    assert db.session.scalar(db.select(db.func.count(Release.id))) == 0


def test_unknown_consultation_names_the_valid_ones(data):
    with pytest.raises(ReleaseError) as refused:
        create_release("nope", None, now=LATER)
    assert "enp-2025, enp-2026" in str(refused.value)


def test_naming_is_decided_over_every_input_of_the_organisation(data):
    """An attributable input is not named if its organisation has a non-attributable one,
    even one that is still in review or outside the release's months."""
    mixed = factories.make_organisation("Mixed Signals Forum", ["TN"])
    member = factories.make_user("m@mixed.example.org", "cso", organisation=mixed)
    item = factories.make_input(
        data.consultation,
        member,
        status=Status.FORWARDED,
        attribution=Attribution.ATTRIBUTABLE,
        title="Named only if all its inputs are",
    )
    item.forwarded_at = datetime(2026, 4, 1)
    factories.make_input(data.consultation, member, status=Status.IN_REVIEW, title="Pending")
    db.session.commit()
    _publish()
    for filters in ({}, {"priority": "ssr"}, {"country": "TN"}, {"region": "south"}):
        document = _json(consultation="enp-2026", **filters)
        labels = {i["attribution"] for i in document["inputs"]}
        assert "Mixed Signals Forum" not in labels
    # Attributable only: named, on every input (the lone Armenian cell made the whole
    # ssr row region-level, so its inputs are placed in the European Neighbourhood).
    document = _json(consultation="enp-2026")
    named = [i for i in document["inputs"] if i["title"] == "Oversight by parliament"]
    assert named[0]["attribution"] == "Open Dialogue Centre"
    assert named[0]["countries"] == "the European Neighbourhood"


def test_references_are_random_per_release(data):
    _publish(period="2026-03..2026-04")
    _publish(period="2026-03..2026-05")
    first = _json(consultation="enp-2026", release="1")
    second = _json(consultation="enp-2026", release="2")
    assert first["release"]["number"] == 1 and second["release"]["number"] == 2
    by_title = {i["title"]: i["reference"] for i in first["inputs"]}
    for item in second["inputs"]:
        assert item["reference"] != by_title.get(item["title"])
        assert item["forwarded"].count("-") == 1  # a month, never a day
    # The latest release is the default.
    assert _json(consultation="enp-2026")["release"]["number"] == 2


def test_cli_publishes_and_prints_the_audit(data, runner):
    result = runner.invoke(args=["release", "create", "enp-2026", "--period", "2026-03..2026-05"])
    assert result.exit_code == 0, result.output
    assert "Audit (k=3" in result.output
    assert "AM" in result.output and "passes" in result.output
    assert result.output.strip().endswith("inputs.")
    assert "Published release 1 of enp-2026 (2026-03..2026-05)" in result.output
    listing = runner.invoke(args=["release", "list"])
    assert "enp-2026 #1  2026-03..2026-05" in listing.output
    assert "k=3" in listing.output
    refused = runner.invoke(args=["release", "create", "enp-2026", "--period", "2099-01"])
    assert refused.exit_code == 2
    assert "is not over yet" in refused.output


def test_the_page_lists_and_publishes_releases(data, client, login, hq_user):
    login(client, hq_user)
    page = client.get("/digest/").get_data(as_text=True)
    assert "No release has been published yet." in page
    unconfirmed = client.post(
        "/digest/releases", data={"consultation": "enp-2026", "period": "2026-03..2026-05"}
    )
    assert unconfirmed.status_code == 400
    assert "a release is final" in unconfirmed.get_data(as_text=True)
    bad = client.post(
        "/digest/releases",
        data={"consultation": "enp-2026", "period": "2026-3..2026-05", "confirm": "y"},
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "is not a month" in text
    assert 'value="2026-3..2026-05"' in text  # what was typed is kept
    response = client.post(
        "/digest/releases",
        data={"consultation": "enp-2026", "period": "2026-03..2026-05", "confirm": "y"},
    )
    assert response.status_code == 302
    assert "release=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Release 1 of enp-2026 is published" in page
    assert "March 2026 – May 2026" in page
    assert hq_user.display_name in page
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "release.published"))
    assert event is not None and event.actor_id == hq_user.id


def test_a_refused_release_is_explained_in_the_reader_s_language(data, client, login, hq_user):
    login(client, hq_user)
    client.post("/language", data={"lang": "fr", "next": "/digest/"})
    for period, words in (
        ("2026-3..2026-05", "n'est pas un mois"),
        ("2026-05..2026-03", "La période commence (2026-05) après sa fin (2026-03)."),
        ("2025-01", "il n'y a rien à publier"),
    ):
        response = client.post(
            "/digest/releases",
            data={"consultation": "enp-2026", "period": period, "confirm": "y"},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert words.replace("'", "&#39;") in page, period
        assert "is not a month" not in page and "nothing to publish" not in page
    assert db.session.scalar(db.select(db.func.count(Release.id))) == 0


def test_external_filters_that_count_again_are_refused_on_the_page(data, client, login, hq_user):
    _publish()
    login(client, hq_user)
    for query in ("theme=youth", "type=recommendation", "since=2026-03-10&until=2026-03-10"):
        response = client.get(f"/digest/?audience=external&consultation=enp-2026&{query}")
        assert response.status_code == 400
        assert "priority, region and country only" in response.get_data(as_text=True)
    # Internal digests keep every filter and exact day-level dates.
    response = client.get("/digest/?audience=internal&since=2026-03-10&until=2026-03-10")
    assert response.status_code == 200


def test_a_country_filter_must_be_a_column_of_the_release(app, hq_user):
    consultation = factories.make_consultation("narrow", countries=["TN", "EG", "MA"])
    org = factories.make_organisation("Narrow Org", ["TN"])
    member = factories.make_user("n@narrow.example.org", "cso", organisation=org)
    item = factories.make_input(consultation, member, status=Status.FORWARDED)
    item.forwarded_at = datetime(2026, 3, 2)
    db.session.commit()
    _publish("narrow")
    from consult.digest.filters import FilterError

    with pytest.raises(FilterError) as refused:
        _json(consultation="narrow", country="UA")
    assert "choose one of: EG, MA, TN" in str(refused.value)


def test_api_lists_publishes_and_projects_releases(data, app, hq_user, cso_user, api_client):
    api = api_client(app, hq_user)
    assert api.get("/releases").get_json() == {"items": []}
    missing = api.post("/releases", json={})
    assert missing.status_code == 400
    assert missing.get_json()["error"]["fields"]["consultation"]
    refused = api.post("/releases", json={"consultation": "enp-2026", "period": "2099-01"})
    assert refused.status_code == 422
    assert "is not over yet" in refused.get_json()["error"]["message"]
    created = api.post("/releases", json={"consultation": "enp-2026", "period": "2026-03..2026-05"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["number"] == 1 and body["audit_passes"] is True and body["min_group_size"] == 3
    assert body["published_by"] == hq_user.display_name
    assert [
        r["number"] for r in api.get("/releases?consultation=enp-2026").get_json()["items"]
    ] == [1]
    digest = api.get("/digest?format=json&audience=external&consultation=enp-2026&release=1")
    assert digest.status_code == 200
    assert digest.get_json()["release"]["number"] == 1
    refused_filter = api.get(
        "/digest?format=json&audience=external&consultation=enp-2026&theme=youth"
    )
    assert refused_filter.status_code == 400
    assert "priority, region and country" in refused_filter.get_json()["error"]["message"]
    assert api_client(app, cso_user).post(
        "/releases", json={"consultation": "enp-2026"}
    ).status_code in (403, 404)


def test_internal_digests_stay_free_queries(data):
    document = _json(audience="internal", since="2026-03-10", until="2026-03-10")
    assert [i["title"] for i in document["inputs"]] == ["Community forums in Kasserine"]
    assert document["inputs"][0]["forwarded"] == "2026-03-10"
    assert document["release"] is None
    assert "eu_staff_only" in document["inputs"][0]


def test_the_demo_publishes_a_release(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "release" in result.output.lower()


def test_a_later_release_never_counts_a_month_twice(data):
    release = _publish(period="2026-03")
    assert release.period_end == "2026-03"
    later = create_release("enp-2026", None, "2026-03..2026-05", now=LATER + timedelta(days=1))
    assert later.number == 2
    assert later.audit["audited_with"] == ["#1"]


def test_a_filtered_download_counts_what_it_lists(data, runner, tmp_path):
    _publish()
    out = tmp_path / "am.csv"
    result = runner.invoke(
        args=[
            "digest",
            "--format",
            "csv",
            "--out",
            str(out),
            "--consultation",
            "enp-2026",
            "--country",
            "AM",
        ]
    )
    assert result.exit_code == 0, result.output
    rows = out.read_text("utf-8-sig").strip().splitlines()[1:]
    assert f"Wrote {len(rows)} input" in result.output
