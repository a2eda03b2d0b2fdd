"""An organisation's acronym: set by admins and on `create-org`, redacted like its name."""

from __future__ import annotations

from consult.extensions import db
from consult.identifiers import known_identifiers, redact
from consult.organisations.models import Organisation


def _org(name: str) -> Organisation | None:
    return db.session.scalar(db.select(Organisation).where(Organisation.name == name))


def test_admin_registers_and_edits_an_acronym(client, login, admin_user, audit_events):
    login(client, admin_user)
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "Kasserine Youth and Security Observatory",
            "acronym": " KYSO ",
            "countries": ["TN"],
            "contact_email": "contact@kyso.example.org",
        },
    )
    assert response.status_code == 302
    org = _org("Kasserine Youth and Security Observatory")
    assert org.acronym == "KYSO"
    page = client.get(f"/admin/organisations/{org.id}").get_data(as_text=True)
    assert 'value="KYSO"' in page and "Acronym (optional)" in page
    listing = client.get("/admin/organisations").get_data(as_text=True)
    assert "Kasserine Youth and Security Observatory</a> (KYSO)" in listing

    data = {"name": org.name, "countries": ["TN"], "contact_email": "contact@kyso.example.org"}
    response = client.post(f"/admin/organisations/{org.id}", data={**data, "acronym": "K Y"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write the acronym as one word of at least two letters, like KYSO." in html
    assert 'value="K Y"' in html  # what was typed is kept
    assert _org(org.name).acronym == "KYSO"

    response = client.post(f"/admin/organisations/{org.id}", data={**data, "acronym": ""})
    assert response.status_code == 302
    assert _org(org.name).acronym is None
    (event,) = audit_events("organisation.updated")
    assert event.detail["changed"] == ["acronym"]


def test_create_org_takes_an_acronym_and_refuses_a_bad_one(runner):
    args = ["create-org", "Irbid Youth Prevention Network", "--country", "JO"]
    result = runner.invoke(args=[*args, "--email", "n@iypn.example.org", "--acronym", "I"])
    assert result.exit_code != 0
    assert "like KYSO" in result.output
    result = runner.invoke(args=[*args, "--email", "n@iypn.example.org", "--acronym", "IYPN"])
    assert result.exit_code == 0, result.output
    assert _org("Irbid Youth Prevention Network").acronym == "IYPN"


def test_acronyms_are_known_identifiers_matched_as_written(app):
    db.session.add(
        Organisation(
            name="Gaza Coastal Youth Forum", acronym="GCYF", contact_email="g@gcyf.example.org"
        )
    )
    db.session.commit()
    known = known_identifiers()
    assert "GCYF" in known
    assert redact("GCYF volunteers ran shelters; gcyf is a word here.", known) == (
        "[redacted] volunteers ran shelters; gcyf is a word here."
    )
