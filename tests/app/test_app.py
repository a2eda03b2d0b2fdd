"""The factory, configuration and the pages every visitor sees."""

from __future__ import annotations

import pytest

from consult import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    with pytest.raises(SystemExit) as exc:
        create_app(
            {"ENV_NAME": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
    message = str(exc.value)
    assert "SECRET_KEY" in message and "\n" not in message


@pytest.mark.parametrize("key", ["dev-only-insecure-key-change-me", "short-key"])
def test_production_refuses_default_or_short_secret_key(key):
    with pytest.raises(SystemExit) as exc:
        create_app(
            {"ENV_NAME": "production", "SECRET_KEY": key, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
        )
    assert "SECRET_KEY" in str(exc.value)


def test_production_refuses_debug():
    with pytest.raises(SystemExit) as exc:
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "x" * 64,
                "DEBUG": True,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
    assert "DEBUG" in str(exc.value)


def test_production_refuses_flask_debug_from_the_environment(monkeypatch):
    # ``flask --debug run`` / FLASK_DEBUG=1 switch the debugger on after the app is built.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(SystemExit) as exc:
        create_app(
            {
                "ENV_NAME": "production",
                "SECRET_KEY": "x" * 64,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
    assert "DEBUG" in str(exc.value)


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("CONSULT_ENV", "staging")
    with pytest.raises(SystemExit) as exc:
        create_app()
    assert "CONSULT_ENV" in str(exc.value)


def test_templates_and_static_come_from_the_repository_top(app):
    from config import BASE_DIR

    assert app.template_folder == str(BASE_DIR / "templates")
    assert app.static_folder == str(BASE_DIR / "static")


def test_unknown_path_gets_the_styled_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert 'href="/static/consult.css?v=' in page
    assert 'class="skip-link"' in page


def test_welcome_page_is_usable_without_javascript(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script" not in page
    assert "Sign in" in page
    assert "http://" not in page.replace("http://www.w3.org", "")


def test_stylesheet_is_served_locally(client):
    response = client.get("/static/consult.css")
    assert response.status_code == 200
    assert b"@import" not in response.data and b"url(http" not in response.data


def test_health_endpoint_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_stylesheet_is_versioned_and_cached_for_long(client):
    page = client.get("/").get_data(as_text=True)
    href = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert href.startswith("/static/consult.css?v=")
    cached = client.get(href)
    assert cached.status_code == 200
    assert "max-age=31536000" in cached.headers["Cache-Control"]
    assert "no-store" not in cached.headers["Cache-Control"]
    # without a version the browser asks again, so a changed file is never stale
    assert "max-age=31536000" not in client.get("/static/consult.css").headers.get(
        "Cache-Control", ""
    )
