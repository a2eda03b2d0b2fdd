"""A consultation's text in several languages: English required, the others optional."""

from __future__ import annotations

from markupsafe import escape

from consult.extensions import db
from consult.inputs.consultation_texts import ConsultationText
from consult.inputs.models import Consultation

FORM = {
    "slug": "south-2026",
    "title": "Southern Neighbourhood security consultation",
    "description": "Inputs for the 2026 review.",
    "opens_at": "2026-03-01T09:00",
    "closes_at": "2036-04-30T17:30",
    "countries": ["TN", "MA", "LB"],
    "questions__ssr": "What works in police reform?",
    "questions__crisis": "Which early warnings were missed?",
    "text_fr__title": "Consultation sur la sécurité du voisinage méridional",
    "text_fr__description": "Contributions pour l'examen de 2026.",
    "text_fr__questions__ssr": "Qu'est-ce qui fonctionne dans la réforme de la police ?",
    "text_ar__title": "استشارة بشأن أمن دول الجوار الجنوبي",
}
FRENCH_SSR = "Qu'est-ce qui fonctionne dans la réforme de la police ?"
NOTE = "Some or all of this consultation is shown in English"


def _saved() -> Consultation:
    db.session.expire_all()
    return db.session.scalar(db.select(Consultation).where(Consultation.slug == "south-2026"))


def test_admin_enters_other_languages_beside_english(client, login, admin_user, audit_events):
    login(client, admin_user)
    page = client.get("/admin/consultations/new").get_data(as_text=True)
    assert 'name="text_ar__title"' in page and 'lang="ar"' in page
    client.post("/admin/consultations/new", data=FORM)
    consultation = _saved()
    texts = {t.locale: t for t in consultation.texts}
    assert set(texts) == {"fr", "ar"}
    assert texts["fr"].questions == {
        "ssr": ["Qu'est-ce qui fonctionne dans la réforme de la police ?"]
    }
    assert texts["ar"].description == "" and texts["ar"].questions == {}
    # The edit form shows them again; emptying a language removes it.
    edit = client.get(f"/admin/consultations/{consultation.id}").get_data(as_text=True)
    assert "Consultation sur la sécurité du voisinage méridional" in edit
    client.post(f"/admin/consultations/{consultation.id}", data={**FORM, "text_ar__title": ""})
    assert {t.locale for t in _saved().texts} == {"fr"}
    (event,) = audit_events("consultation.updated")
    assert event.detail["changed"] == ["text_ar"]


def test_a_language_needs_its_title(client, login, admin_user):
    login(client, admin_user)
    data = {**FORM, "text_ru__description": "Описание без заголовка"}
    page = client.post("/admin/consultations/new", data=data).get_data(as_text=True)
    assert "Give the title in this language too, or leave this language empty." in page
    assert "Описание без заголовка" in page  # nothing typed is lost
    assert _saved() is None


def test_cso_reads_its_language_and_english_where_it_is_missing(
    client, login, admin_user, cso_user
):
    login(client, admin_user)
    client.post("/admin/consultations/new", data=FORM)
    consultation = _saved()
    login(client, cso_user)
    url = f"/consultations/{consultation.id}"

    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<h1 dir="auto">Consultation sur la sécurité du voisinage méridional</h1>' in french
    assert str(escape("Contributions pour l'examen de 2026.")) in french
    assert str(escape(FRENCH_SSR)) in french
    # The crisis questions are not translated: English, and the page says so.
    assert "Which early warnings were missed?" in french
    assert "What works in police reform?" not in french
    assert "Tout ou partie de cette consultation est affiché en anglais" in french

    russian = client.get(url, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<h1 dir="auto">Southern Neighbourhood security consultation</h1>' in russian
    assert "показана на английском" in russian

    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "What works in police reform?" in english and NOTE not in english

    listing = client.get("/consultations", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "استشارة بشأن أمن دول الجوار الجنوبي" in listing
    form = client.get(
        f"{url}/inputs/new?priority=ssr&main_country=TN", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert str(escape(FRENCH_SSR)) in form


def test_deleting_a_consultation_deletes_its_texts(app, consultation):
    consultation.texts.append(ConsultationText(locale="uk", title="Консультація", questions={}))
    db.session.commit()
    db.session.delete(consultation)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(ConsultationText)) == 0


def _with_french(consultation: Consultation) -> Consultation:
    consultation.texts.append(
        ConsultationText(
            locale="fr",
            title="Consultation sur la sécurité",
            description="Contributions pour l'examen.",
            questions={"ssr": [FRENCH_SSR]},
        )
    )
    db.session.commit()
    return consultation


def test_api_gives_the_consultation_in_the_language_asked(app, consultation, cso_user, api_client):
    _with_french(consultation)
    api = api_client(app, cso_user)
    [french] = api.get("/consultations", headers={"Accept-Language": "fr"}).get_json()["items"]
    assert french["title"] == "Consultation sur la sécurité"
    assert french["description"] == "Contributions pour l'examen."
    assert french["language"] == "fr"
    assert {"priority": "ssr", "text": FRENCH_SSR} in french["guiding_questions"]
    [russian] = api.get("/consultations", headers={"Accept-Language": "ru"}).get_json()["items"]
    assert russian["title"] == consultation.title and russian["partly_english"] is True
    [english] = api.get("/consultations", headers={"Accept-Language": "en"}).get_json()["items"]
    assert english["title"] == consultation.title and english["partly_english"] is False


def test_report_quotes_the_consultation_in_its_language_with_local_dates(
    app, runner, consultation, hq_user
):
    _with_french(consultation)
    args = ["digest", "--format", "html", "--out", "-", "--audience", "internal"]
    args += ["--consultation", consultation.slug]
    french = runner.invoke(args=[*args, "--lang", "fr"])
    assert french.exit_code == 0, french.output
    assert "Consultation sur la sécurité" in french.output
    month = consultation.opens_at.month
    french_months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet"]
    french_months += ["août", "septembre", "octobre", "novembre", "décembre"]
    assert french_months[month - 1] in french.output
    russian = runner.invoke(args=[*args, "--lang", "ru"])
    assert consultation.title in russian.output
    assert "не переведены" in russian.output  # the note that parts are quoted in English
