"""What goes into a digest: forwarded inputs, reviewed text, attribution, audiences, filters, k."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from consult.digest.services import FilterError, parse_filters, render_digest


@pytest.fixture
def data(app, make_digest_data):
    return make_digest_data()


def _download(fmt, actor, **filters) -> bytes:
    part = filters.pop("part", "inputs")
    digest_file = render_digest(fmt, parse_filters(filters), actor, part=part)
    return b"".join(digest_file.chunks)


def _rows(actor, **filters) -> list[dict]:
    content = _download("csv", actor, **filters).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def _json(actor, **filters) -> dict:
    return json.loads(_download("json", actor, **filters))


def test_only_forwarded_inputs_count_and_a_merged_duplicate_counts_once(data, hq_user):
    titles = [row["title"] for row in _rows(hq_user, audience="internal")]
    assert "IN-REVIEW-MARKER" not in titles
    assert "DUPLICATE-MARKER" not in titles
    assert titles.count("Neighbourhood watch that works") == 1
    assert len(titles) == 6  # five forwarded + one EU-staff-only input


def test_reviewed_text_replaces_the_original(app, data, hq_user, publish):
    from consult.extensions import db

    item = data.inputs["named"]
    item.reviewed_title = "Oversight by parliament (reviewed)"
    item.reviewed_body = "Committees need [redacted] staff."
    item.recommendations[0].reviewed_text = "Second experts (reviewed)."
    db.session.commit()
    publish()
    document = _json(hq_user)
    entry = next(i for i in document["inputs"] if i["title"].startswith("Oversight"))
    assert entry["title"] == "Oversight by parliament (reviewed)"
    assert entry["body"] == "Committees need [redacted] staff."
    assert entry["recommendations"][0]["text"] == "Second experts (reviewed)."
    assert b"Parliamentary committees need staff." not in _download("docx", hq_user)


def test_attribution_labels(data, hq_user, publish):
    by_title = {row["title"]: row for row in _rows(hq_user, audience="internal", region="south")}
    assert by_title["Oversight by parliament"]["attribution"] == "Open Dialogue Centre"
    assert by_title["Community forums in Kasserine"]["attribution"] == "a CSO working in Tunisia"
    assert by_title["Community forums in Kasserine"]["countries"] == "Tunisia"
    # A release names the organisation that chose to be named, wherever it places the input.
    publish()
    by_title = {row["title"]: row for row in _rows(hq_user)}
    assert by_title["Oversight by parliament"]["attribution"] == "Open Dialogue Centre"
    assert by_title["Neighbourhood watch that works"]["attribution"].startswith("a CSO ")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "docx", "html"])
def test_eu_staff_only_input_is_in_internal_digests_only(data, hq_user, fmt, publish, text_parts):
    markers = ["EU-ONLY-MARKER", "EU-ONLY-BODY", "EU-ONLY-RECOMMENDATION"]
    publish()
    extra = {"part": "recommendations"} if fmt == "csv" else {}
    for part in [{}, extra] if extra else [{}]:
        external = "".join(text_parts(_download(fmt, hq_user, **part)).values())
        internal = "".join(
            text_parts(_download(fmt, hq_user, audience="internal", **part)).values()
        )
        wanted = markers[2:] if part else markers[:1]
        for marker in wanted:
            assert marker not in external
            assert marker in internal


def test_filters_change_the_counts(data, hq_user, publish):
    def count(**filters):
        return render_digest("json", parse_filters(filters), hq_user).count

    def listed(**filters):
        return len(_json(hq_user, **filters)["inputs"])

    # Internal digests: a free query over every forwarded input, every filter.
    assert count(audience="internal") == 6
    assert count(audience="internal", consultation="enp-2026") == 5
    assert count(audience="internal", consultation="enp-2025") == 1
    assert count(audience="internal", priority="ssr") == 4
    assert count(audience="internal", priority="crisis") == 2
    assert count(audience="internal", type="good-practice") == 1
    assert count(audience="internal", theme="community-security") == 3
    assert count(audience="internal", region="east") == 1
    assert count(audience="internal", country="TN") == 4
    # 15 and 20 March, 2 April, 20 May
    assert count(audience="internal", since="2026-03-12") == 4
    # June 2025 (the other consultation), 10, 15 and 20 March
    assert count(audience="internal", until="2026-03-31") == 4
    assert count(audience="internal", since="2026-04-01", until="2026-04-30") == 1
    # External digests: a release per consultation, without the EU-staff-only input.
    publish("enp-2026")
    publish("enp-2025")
    assert listed(consultation="enp-2026") == 4
    # enp-2025 has one input from one organisation: no region can hide it, so the
    # release withholds it and does not give its priority's total.
    assert listed(consultation="enp-2025") == 0
    assert _json(hq_user, consultation="enp-2025")["matrix"]["priority_totals"]["crisis"] is None
    assert listed(consultation="enp-2026", priority="ssr") == 4
    assert listed(consultation="enp-2026", priority="crisis") == 0
    for refused in ({"type": "good-practice"}, {"theme": "youth"}, {"since": "2026-04-01"}):
        with pytest.raises(FilterError, match="Remove"):
            count(consultation="enp-2026", **refused)


def test_filters_change_the_matrix_and_totals(data, hq_user):
    document = _json(hq_user, audience="internal", priority="ssr")
    assert document["totals"]["inputs"] == 4
    assert document["matrix"]["priorities"] == ["ssr"]
    cells = {(c["priority"], c["country"]): c["inputs"] for c in document["matrix"]["cells"]}
    assert cells[("ssr", "TN")] == 3
    assert cells[("ssr", "AM")] == 1
    assert document["by_type"]["good-practice"] == 1
    assert document["by_theme"]["community-security"] == 3


def test_small_groups_are_reported_at_region_level_in_external_digests(data, hq_user, publish):
    publish()
    document = _json(hq_user)
    cells = {(c["priority"], c["country"]): c for c in document["matrix"]["cells"]}
    assert cells[("ssr", "AM")]["inputs"] is None
    assert cells[("ssr", "AM")]["fewer_than"] == 3
    # The empty cells of the East in that row read the same, so AM is one of six.
    for code in ("AZ", "BY", "GE", "MD", "UA"):
        assert cells[("ssr", code)] == {**cells[("ssr", "AM")], "country": code}
    # TN's three organisations are shown, or hidden to protect the small cell.
    assert cells[("ssr", "TN")]["inputs"] == 3 or cells[("ssr", "TN")]["inputs"] is None
    lone = next(i for i in document["inputs"] if i["title"] == "Border villages")
    assert lone["attribution"] in (
        "a CSO in the Eastern Neighbourhood",
        "a CSO in the European Neighbourhood",
    )
    assert lone["countries"] in ("the Eastern Neighbourhood", "the European Neighbourhood")
    assert "Armenia" not in json.dumps(lone)
    # Internally the country is given.
    internal = _json(hq_user, audience="internal")
    lone = next(i for i in internal["inputs"] if i["title"] == "Border villages")
    assert lone["attribution"] == "a CSO working in Armenia"


def test_page_shows_fewer_than_k_and_the_threshold_is_configurable(
    make_app, data, hq_user, publish
):
    from tests.factories import login

    strict = make_app(DIGEST_MIN_GROUP_SIZE=3)
    with strict.app_context():
        publish()
    client = login(strict.test_client(), hq_user)
    page = client.get("/digest/?consultation=enp-2026&priority=ssr").get_data(as_text=True)
    assert "fewer than 3" in page
    # k is the setting when a release is published: a release with k=1 hides nothing.
    lenient = make_app(DIGEST_MIN_GROUP_SIZE=1)
    with lenient.app_context():
        publish()
    client = login(lenient.test_client(), hq_user)
    page = client.get("/digest/?consultation=enp-2026&priority=ssr").get_data(as_text=True)
    assert "fewer than" not in page


def test_country_filter_withholds_inputs_of_a_small_group(data, hq_user, publish):
    publish()
    rows = _rows(hq_user, country="AM")
    assert rows == []
    content = _download("csv", hq_user, country="AM").decode("utf-8-sig")
    assert "Border villages" not in content
    internal = render_digest(
        "csv", parse_filters({"country": "AM", "audience": "internal"}), hq_user
    )
    assert internal.count == 1


def test_external_order_reveals_neither_time_nor_organisation(data, hq_user, publish):
    publish()
    rows = _rows(hq_user)
    assert len(rows) == 4
    # Grouped by priority in the reference order; inputs carry random references, not ids.
    assert all(row["reference"].startswith("R-") for row in rows)
    ids = {str(item.id) for item in data.inputs.values()}
    assert not ids & {row["reference"] for row in rows}
    assert all(len(row["forwarded"]) == 7 for row in rows)  # month only
    # The order within a priority follows the random references, not submission or
    # organisation.
    ssr = [row for row in rows if row["priority"] == "ssr"]
    assert [row["reference"] for row in ssr] == sorted(row["reference"] for row in ssr)
    # References are random per release: a second release cannot be joined on them.
    publish()
    again = _rows(hq_user)
    assert not {row["reference"] for row in rows} & {row["reference"] for row in again}


def test_an_organisation_with_non_attributable_inputs_is_never_named(
    app, data, hq_user, publish, text_parts
):
    from tests import factories

    author = factories.make_user(
        "second@hidden-voices.example.org", "cso", organisation=data.hidden_org
    )
    factories.make_input(
        data.consultation,
        author,
        status="forwarded",
        title="Attributable but from a hidden organisation",
        attribution="attributable",
        forwarded_at=datetime(2026, 4, 20, 9, 0),
    )
    publish()
    for fmt in ("csv", "json", "docx", "xlsx", "html"):
        content = "".join(text_parts(_download(fmt, hq_user)).values())
        assert "Hidden Voices Network" not in content
    internal = _rows(hq_user, audience="internal")
    labels = {row["title"]: row["attribution"] for row in internal}
    assert labels["Attributable but from a hidden organisation"] == "Hidden Voices Network"
