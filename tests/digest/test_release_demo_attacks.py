"""The two attacks of the releases issue, replayed against the demo data of ``make run``.

1. Naming that differs between downloads: an organisation with an attributable
   and a non-attributable input was named in a one-day download and unnamed in
   a wider one, and the shared references then pointed at its risk alert.
2. Per-country downloads that unmask small cells: nine countries answered 0
   and one "fewer than 3", where the full digest masked all ten alike.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from consult.cli.demo import DEMO_CONSULTATION_SLUG
from consult.digest.releases.models import Release
from consult.digest.releases.publishing import create_release
from consult.digest.services import parse_filters, render_digest
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import FORWARDED_STATUSES, Attribution
from consult.organisations.models import Organisation
from consult.timeutil import utcnow


@pytest.fixture
def demo(app, runner) -> Release:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    db.session.query(Release).delete()  # publish over every demo input, whatever today is
    release = create_release(DEMO_CONSULTATION_SLUG, None, now=utcnow() + timedelta(days=62))
    db.session.commit()
    return release


def _json(**filters: str) -> dict:
    query = {"consultation": DEMO_CONSULTATION_SLUG, "audience": "external", **filters}
    return json.loads(b"".join(render_digest("json", parse_filters(query), None).chunks))


def _mixed_organisation() -> Organisation:
    """A demo organisation with a forwarded attributable input and a non-attributable one."""
    for org in db.session.scalars(db.select(Organisation)):
        kinds = set(
            db.session.scalars(
                db.select(Input.attribution).where(
                    Input.organisation_id == org.id,
                    Input.status.in_([str(s) for s in FORWARDED_STATUSES]),
                )
            )
        )
        if {Attribution.ATTRIBUTABLE, Attribution.NON_ATTRIBUTABLE} <= kinds:
            return org
    raise AssertionError("the demo has an organisation with mixed attribution")


def test_replay_naming_that_differed_between_downloads(demo, client, login, hq_user):
    org = _mixed_organisation()
    login(client, hq_user)
    # The one-day window is refused for external digests, with what is allowed.
    day = utcnow().date().isoformat()
    response = client.get(
        f"/digest/download/json?audience=external&consultation={DEMO_CONSULTATION_SLUG}"
        f"&since={day}&until={day}"
    )
    assert response.status_code == 400
    assert "priority, region and country only" in response.get_data(as_text=True)
    full = _json()
    by_reference = {item["reference"]: item for item in full["inputs"]}
    columns = full["matrix"]["countries"]
    for filters in (
        {},
        *({"priority": p} for p in full["matrix"]["priorities"]),
        {"region": "south"},
        {"region": "east"},
        *({"country": c} for c in columns),
    ):
        document = _json(**filters)
        text = json.dumps(document, ensure_ascii=False)
        assert org.name not in text, filters
        for item in document["inputs"]:
            # The same reference carries the same label, place and texts everywhere.
            assert by_reference[item["reference"]] == item, filters


def test_replay_per_country_downloads_that_unmasked_small_cells(demo):
    full = _json()
    cells = {(c["priority"], c["country"]): c for c in full["matrix"]["cells"]}
    masked_rows = {
        p
        for p in full["matrix"]["priorities"]
        if sum(1 for (q, _c), cell in cells.items() if q == p and cell.get("fewer_than")) > 1
    }
    assert masked_rows, "the demo release has small cells hidden among masked zeros"
    for country in full["matrix"]["countries"]:
        document = _json(country=country)
        assert document["matrix"]["countries"] == [country]
        for cell in document["matrix"]["cells"]:
            # Each country's download answers exactly what the full release shows.
            assert cell == cells[(cell["priority"], country)]
        assert document["totals"] == full["totals"]
