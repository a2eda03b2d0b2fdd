"""Organisations in the administration area: register, edit, verify."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.organisations.models import Organisation
from consult.submissions.services import InputData, SubmissionError, submit_input
from tests import factories


def _org(name: str) -> Organisation | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Organisation).where(Organisation.name == name))


def test_register_an_organisation(client, login, admin_user, audit_events):
    login(client, admin_user)
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "Beirut Peace Lab",
            "countries": ["LB", "SY"],
            "contact_email": "Hello@PeaceLab.example.org",
            "verified": "y",
        },
        follow_redirects=True,
    )
    assert "Organisation Beirut Peace Lab created." in response.get_data(as_text=True)
    org = _org("Beirut Peace Lab")
    assert org.country_codes == ["LB", "SY"]  # ordered by country name
    assert org.contact_email == "hello@peacelab.example.org" and org.is_verified
    (event,) = audit_events("organisation.created")
    assert event.object_id == str(org.id) and event.detail["countries"] == ["LB", "SY"]
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Beirut Peace Lab" in listing and "LB, SY" in listing


def test_register_with_wrong_inputs_keeps_what_was_typed(client, login, admin_user, organisation):
    login(client, admin_user)
    response = client.post(
        "/admin/organisations/new",
        data={"name": organisation.name.upper(), "countries": [], "contact_email": "nope"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please correct the following" in html
    assert "Choose at least one country of operation." in html
    assert "Enter an email address like name@example.org." in html
    assert f'value="{organisation.name.upper()}"' in html
    assert 'value="nope"' in html

    # a name that exists already (checked by the service, shown next to the name)
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": organisation.name.upper(),
            "countries": ["TN", "DZ"],
            "contact_email": "x@example.org",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already exists" in html
    assert 'value="TN" id="countries-TN" checked' in html
    assert 'value="DZ" id="countries-DZ" checked' in html
    assert 'value="MA" id="countries-MA" checked' not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


def test_edit_name_countries_and_contact(client, login, admin_user, organisation, audit_events):
    login(client, admin_user)
    page = client.get(f"/admin/organisations/{organisation.id}").get_data(as_text=True)
    assert 'value="Tunis Civic Forum"' in page and 'value="TN" id="countries-TN" checked' in page
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={
            "name": "Tunis Civic Forum (TCF)",
            "countries": ["TN", "LY"],
            "contact_email": "office@tcf.example.org",
        },
    )
    assert response.status_code == 302
    org = _org("Tunis Civic Forum (TCF)")
    assert org.country_codes == ["LY", "TN"] and org.contact_email == "office@tcf.example.org"
    (event,) = audit_events("organisation.updated")
    assert sorted(event.detail["changed"]) == ["contact_email", "countries", "name"]

    other = factories.make_organisation("Other Org", ["UA"])
    response = client.post(
        f"/admin/organisations/{organisation.id}",
        data={"name": "other org", "countries": ["TN"], "contact_email": "office@tcf.example.org"},
    )
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)
    assert _org("Tunis Civic Forum (TCF)") is not None and other.name == "Other Org"


def test_verification_is_what_lets_members_submit(
    client, login, admin_user, consultation, audit_events
):
    org = factories.make_organisation("Tbilisi Youth Network", ["GE"], verified=False)
    member = factories.make_user("member@tyn.example.org", "cso", organisation=org)
    data = InputData(
        consultation=consultation,
        priority_slug="ssr",
        country_codes=["GE"],
        level_slug="national",
        type_slug="recommendation",
        title="Youth councils and the police",
        body="Youth councils meet district police monthly.",
        recommendations=[("eu", "Support youth councils.")],
    )
    with pytest.raises(SubmissionError, match="not verified"):
        submit_input(member, data)
    db.session.rollback()

    login(client, admin_user)
    listing = client.get("/admin/organisations?verified=no").get_data(as_text=True)
    assert "Tbilisi Youth Network" in listing
    response = client.post(
        f"/admin/organisations/{org.id}/verify", data={"verified": "1"}, follow_redirects=True
    )
    assert "is verified: its members may submit inputs" in response.get_data(as_text=True)
    assert "Tbilisi Youth Network" not in client.get("/admin/organisations?verified=no").get_data(
        as_text=True
    )
    (event,) = audit_events("organisation.verified")
    assert event.object_id == str(org.id) and event.actor_id == admin_user.id

    db.session.expire_all()
    item = submit_input(member, data)
    assert item.status == "submitted"
    db.session.commit()

    client.post(f"/admin/organisations/{org.id}/verify", data={"verified": "0"})
    assert audit_events("organisation.unverified")[0].object_id == str(org.id)
    assert not _org("Tbilisi Youth Network").is_verified
