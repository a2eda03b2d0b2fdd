"""Operators and API clients read consult in their own language too.

A ``flask`` command speaks the language of the environment (``LANG`` and the
other gettext variables); an API error speaks the ``Accept-Language`` asked for.
"""

from __future__ import annotations

import pytest

from consult.i18n import operator_locale


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "uk_UA.UTF-8"}, "uk"),
        ({"LANGUAGE": "de:ar", "LANG": "en_US.UTF-8"}, "ar"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_environment_chooses_the_operators_language(app, environ, expected):
    assert operator_locale(environ) == expected


def test_a_command_speaks_the_operators_language(app, runner, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    listed = runner.invoke(args=["release", "list"])
    assert listed.exit_code == 0
    assert listed.output.strip() == "Aucune publication n'a encore paru."
    wrong = runner.invoke(args=["digest", "--format", "odt", "--out", "-"])
    assert wrong.exit_code == 2
    assert wrong.output.startswith("Erreur : Format inconnu 'odt' ; valeurs possibles :")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    wrong = runner.invoke(args=["digest", "--format", "odt", "--out", "-"])
    assert wrong.output.startswith("Ошибка: Неизвестный формат 'odt'")
    monkeypatch.setenv("LANG", "C.UTF-8")
    wrong = runner.invoke(args=["digest", "--format", "odt", "--out", "-"])
    assert wrong.output.startswith("Error: Unknown format 'odt'; valid values:")


def test_the_mail_and_job_commands_speak_the_operators_language(app, runner, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    sent = runner.invoke(args=["send-mail"])
    assert sent.exit_code == 0
    assert sent.output.startswith("rédigés 0, envoyés 0, à réessayer 0, abandonnés 0")
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    purged = runner.invoke(args=["jobs", "purge-files"])
    assert purged.exit_code == 0
    assert purged.output.startswith("видалено файлів завдань: 0")
    if not app.config.get("JOBS_REDIS_URL"):
        worker = runner.invoke(args=["jobs", "worker", "--burst"])
        assert worker.exit_code != 0
        assert "CONSULT_JOBS_REDIS_URL не задано" in worker.output


def test_api_errors_speak_the_language_asked(app, client, api_client, hq_user):
    anonymous = client.get("/api/v1/inputs", headers={"Accept-Language": "ar"})
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["message"].startswith("أرسل رمز وصول شخصياً")
    api = api_client(app, hq_user)
    french = api.get("/digest?format=odt", headers={"Accept-Language": "fr"})
    assert french.status_code == 400
    [message] = french.get_json()["error"]["fields"]["format"]
    assert message.startswith("Utilisez l'une de ces valeurs : csv")
    refused = api.get(
        "/digest?format=csv&audience=external&theme=gender", headers={"Accept-Language": "uk"}
    )
    assert refused.status_code == 400
    assert "Зовнішнє зведення" in refused.get_json()["error"]["message"]
    english = api.get("/digest?format=odt", headers={"Accept-Language": "en"})
    assert english.get_json()["error"]["fields"]["format"][0].startswith("Use one of: csv")


def test_error_pages_speak_the_readers_language(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Il n&#39;y a rien ici" in page or "Il n'y a rien ici" in page
    answer = client.get("/no-such-page", headers={"Accept-Language": "uk"})
    assert answer.status_code == 404 and "Тут нічого немає" in answer.get_data(as_text=True)


def test_demo_data_and_synthetic_load_speak_the_operators_language(app, runner, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CONSULT_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    seeded = runner.invoke(args=["seed-demo", "--without-inputs"])
    assert seeded.exit_code == 0, seeded.output
    assert "Les données de démonstration sont chargées." in seeded.output
    assert "(administrateur de l'organisation : Nos données)" in seeded.output
    assert "Mot de passe de chaque compte de démonstration :" in seeded.output
    assert "Demo data is loaded" not in seeded.output
    monkeypatch.setenv("LANG", "uk_UA.UTF-8")
    filled = runner.invoke(args=["generate-load", "--inputs", "20", "--consultation", "uk-load"])
    assert filled.exit_code == 0, filled.output
    assert "Записано матеріалів: 20 до консультації 'uk-load'" in filled.output
    assert "Wrote" not in filled.output
