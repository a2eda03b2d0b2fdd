"""Delegations and the countries they cover: coverage decides where inputs go."""

from __future__ import annotations

from consult.extensions import db
from consult.inputs.states import RoutedTo
from consult.reference.models import Country, Delegation
from consult.submissions.services import InputData, submit_input


def _submit(user, consultation, country: str):
    item = submit_input(
        user,
        InputData(
            consultation=consultation,
            priority_slug="crisis",
            country_codes=[country],
            level_slug="local",
            type_slug="risk-alert",
            title="Early warning in border towns",
            body="Tensions rise where the border market closed.",
            recommendations=[("eu", "Fund local mediation.")],
        ),
    )
    db.session.commit()
    return item


def _coverage_form(**changes: str) -> dict[str, str]:
    data = {
        f"country__{c.code}": c.delegation_slug or ""
        for c in db.session.scalars(db.select(Country))
    }
    data.update({f"country__{code}": slug for code, slug in changes.items()})
    return data


def test_list_shows_each_country_and_its_delegation(client, login, admin_user):
    login(client, admin_user)
    html = client.get("/admin/delegations").get_data(as_text=True)
    assert "EU Delegation to Tunisia" in html
    assert "No delegation: inputs go to HQ" in html
    # Syria has no delegation: its select has the HQ option chosen
    assert '<select id="country__SY" name="country__SY"><option selected value="">' in html


def test_taking_a_country_from_its_delegation_routes_its_inputs_to_hq(
    client, login, admin_user, cso_user, consultation, audit_events
):
    before = _submit(cso_user, consultation, "TN")
    assert before.routed_to == RoutedTo.DELEGATION and before.delegation_slug == "eud-tn"

    login(client, admin_user)
    response = client.post("/admin/delegations", data=_coverage_form(TN=""), follow_redirects=True)
    assert "Coverage saved for TN" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Country, "TN").delegation_slug is None
    (event,) = audit_events("country.coverage_changed")
    assert event.object_id == "TN" and event.detail == {"before": "eud-tn", "after": None}

    after = _submit(cso_user, consultation, "TN")
    assert after.routed_to == RoutedTo.HQ and after.delegation_slug is None
    # an input routed before the change stays where it went
    db.session.refresh(before)
    assert before.delegation_slug == "eud-tn"


def test_giving_syria_a_delegation_routes_its_inputs_there(
    client, login, admin_user, cso_user, consultation
):
    assert _submit(cso_user, consultation, "SY").routed_to == RoutedTo.HQ
    login(client, admin_user)
    client.post("/admin/delegations", data=_coverage_form(SY="eud-lb"))
    item = _submit(cso_user, consultation, "SY")
    assert item.routed_to == RoutedTo.DELEGATION and item.delegation_slug == "eud-lb"


def test_create_a_delegation_covering_countries(
    client, login, admin_user, cso_user, consultation, audit_events
):
    login(client, admin_user)
    response = client.post(
        "/admin/delegations/new",
        data={
            "slug": "eud-syria-beirut",
            "name": "EU Delegation to Syria (in Beirut)",
            "countries": ["SY"],
        },
        follow_redirects=True,
    )
    assert "Delegation EU Delegation to Syria (in Beirut) created." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Delegation, "eud-syria-beirut").country_codes == ["SY"]
    assert audit_events("delegation.created")[0].object_id == "eud-syria-beirut"
    item = _submit(cso_user, consultation, "SY")
    assert item.delegation_slug == "eud-syria-beirut"


def test_create_with_wrong_inputs_keeps_what_was_typed(client, login, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/delegations/new",
        data={"slug": "EUD Jordan!", "name": "Amman office", "countries": ["JO"]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use lower-case letters, digits and single hyphens" in html
    assert 'value="EUD Jordan!"' in html and 'value="Amman office"' in html
    assert 'value="JO" id="countries-JO" checked' in html

    response = client.post(
        "/admin/delegations/new", data={"slug": "eud-tn", "name": "Again", "countries": []}
    )
    assert "A delegation with this slug already exists." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Country, "JO").delegation_slug == "eud-jo"


def test_edit_a_delegation_renames_and_moves_countries(client, login, admin_user, audit_events):
    login(client, admin_user)
    page = client.get("/admin/delegations/eud-md").get_data(as_text=True)
    assert 'value="MD" id="countries-MD" checked' in page
    response = client.post(
        "/admin/delegations/eud-md",
        data={"name": "EU Delegation to Moldova and Belarus", "countries": ["MD", "BY"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegation, "eud-md").name == "EU Delegation to Moldova and Belarus"
    assert db.session.get(Country, "BY").delegation_slug == "eud-md"
    # unticking Moldova leaves it without a delegation
    client.post("/admin/delegations/eud-md", data={"name": "EU Delegation", "countries": ["BY"]})
    db.session.expire_all()
    assert db.session.get(Country, "MD").delegation_slug is None
    assert {e.object_id for e in audit_events("country.coverage_changed")} == {"BY", "MD"}
    assert audit_events("delegation.renamed")
