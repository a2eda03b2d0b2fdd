"""Consultations in the administration area: create and edit, guiding questions."""

from __future__ import annotations

from datetime import datetime

from consult.extensions import db
from consult.inputs.models import Consultation


def _by_slug(slug: str) -> Consultation | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Consultation).where(Consultation.slug == slug))


FORM = {
    "slug": "east-2026",
    "title": "Eastern Partnership security consultation 2026",
    "description": "Inputs for the 2026 review.",
    "opens_at": "2026-03-01T09:00",
    "closes_at": "2026-04-30T17:30",
    "countries": ["UA", "MD", "GE"],
    "questions__ssr": "What works in police reform?\n\nWho oversees the police?\n",
    "questions__organised_crime": "Which routes changed since 2022?",
}


def test_create_with_guiding_questions_per_priority(client, login, admin_user, audit_events):
    login(client, admin_user)
    page = client.get("/admin/consultations/new").get_data(as_text=True)
    assert "Security sector reform (incl. community security)" in page
    assert "East" in page and "South" in page  # countries grouped by region

    response = client.post("/admin/consultations/new", data=FORM, follow_redirects=True)
    assert "Consultation Eastern Partnership security consultation 2026 created." in (
        response.get_data(as_text=True)
    )
    consultation = _by_slug("east-2026")
    assert consultation.opens_at == datetime(2026, 3, 1, 9, 0)
    assert consultation.closes_at == datetime(2026, 4, 30, 17, 30)
    assert consultation.country_codes == ["GE", "MD", "UA"]
    assert [(q.priority_slug, q.text) for q in consultation.questions] == [
        ("ssr", "What works in police reform?"),
        ("ssr", "Who oversees the police?"),
        ("organised-crime", "Which routes changed since 2022?"),
    ]
    (event,) = audit_events("consultation.created")
    assert event.object_id == str(consultation.id) and event.detail["questions"] == 3


def test_wrong_inputs_show_messages_and_keep_what_was_typed(
    client, login, admin_user, consultation
):
    login(client, admin_user)
    data = {
        **FORM,
        "slug": consultation.slug,
        "closes_at": "2026-02-01T09:00",
        "countries": [],
    }
    response = client.post("/admin/consultations/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please correct the following" in html
    assert "The consultation must close after it opens." in html
    assert "Choose at least one country in scope." in html
    assert 'value="Eastern Partnership security consultation 2026"' in html
    assert 'value="2026-02-01T09:00"' in html
    assert "Who oversees the police?" in html

    # the slug collision is found by the service once the form itself is fine
    response = client.post("/admin/consultations/new", data={**FORM, "slug": consultation.slug})
    html = response.get_data(as_text=True)
    assert "Another consultation already uses this slug." in html
    assert 'value="UA" id="countries-UA" checked' in html

    response = client.post(
        "/admin/consultations/new", data={**FORM, "opens_at": "1 March", "slug": "Bad Slug"}
    )
    html = response.get_data(as_text=True)
    assert 'value="1 March"' in html
    assert "1 March is not a date and time we can read. Write it as DD/MM/YYYY HH:MM" in html
    assert 'value="Bad Slug"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Consultation)) == 1


def test_edit_changes_dates_countries_and_questions(
    client, login, admin_user, consultation, audit_events
):
    login(client, admin_user)
    page = client.get(f"/admin/consultations/{consultation.id}").get_data(as_text=True)
    assert "What works in SSR?" in page and "What early warning signs?" in page
    assert f'value="{consultation.slug}"' in page

    response = client.post(
        f"/admin/consultations/{consultation.id}",
        data={
            "slug": "enp-security-renamed",
            "title": consultation.title,
            "description": consultation.description,
            "opens_at": consultation.opens_at.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": "2030-12-31T23:59",
            "countries": ["TN", "LB"],
            "questions__ssr": "What works in SSR?",
            "questions__cybercrime": "Who reports cybercrime?",
            "questions__crisis": "",
        },
    )
    assert response.status_code == 302
    edited = _by_slug("enp-security-renamed")
    assert edited.closes_at == datetime(2030, 12, 31, 23, 59)
    assert edited.country_codes == ["LB", "TN"]
    assert [(q.priority_slug, q.text) for q in edited.questions] == [
        ("ssr", "What works in SSR?"),
        ("cybercrime", "Who reports cybercrime?"),
    ]
    (event,) = audit_events("consultation.updated")
    assert set(event.detail["changed"]) >= {"slug", "closes_at", "countries", "questions"}
    listing = client.get("/admin/consultations").get_data(as_text=True)
    assert "enp-security-renamed" in listing


def test_dates_are_typed_as_the_language_writes_them(client, login, admin_user):
    login(client, admin_user)
    page = client.get("/admin/consultations/new").get_data(as_text=True)
    assert 'type="datetime-local"' not in page
    assert "In UTC, written DD/MM/YYYY HH:MM, for example 31/01/2026 17:00" in page
    response = client.post(
        "/admin/consultations/new",
        data={**FORM, "opens_at": "01/03/2026 09:00", "closes_at": "30/02/2026 17:30"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "30/02/2026 is not a date in the calendar" in html
    assert 'value="30/02/2026 17:30"' in html and 'value="01/03/2026 09:00"' in html
    client.post(
        "/admin/consultations/new",
        data={**FORM, "opens_at": "01/03/2026 09:00", "closes_at": "30/04/2026 17:30"},
    )
    made = db.session.scalar(db.select(Consultation).where(Consultation.slug == FORM["slug"]))
    assert (made.opens_at, made.closes_at) == (
        datetime(2026, 3, 1, 9, 0),
        datetime(2026, 4, 30, 17, 30),
    )
    edit = client.get(f"/admin/consultations/{made.id}").get_data(as_text=True)
    assert 'value="30/04/2026 17:30"' in edit
