"""The CSO journey in Arabic, French, Russian and Ukrainian, as a new user tries it.

The browser asks for the language with ``Accept-Language``; each step's page
is kept as a screenshot under ``build/screenshots/<locale>/`` (a test artefact,
not committed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from consult.extensions import db
from consult.inputs.models import Input
from tests.browser.conftest import click_and_wait, sign_in

pytestmark = pytest.mark.browser

CSO = "cso.tn@consult.example.org"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
ARABIC_TITLE = "منتديات مشتركة بين الشرطة والسكان في القصرين"


@pytest.fixture
def localised_page(browser, request):
    locale = request.param
    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield locale, page
    context.close()


def _shot(page, locale: str, step: str) -> None:
    folder = SCREENSHOTS / locale
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{step}.png"), full_page=True)


def _reads(page, locale: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == locale
    assert html.get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == ("rtl" if locale == "ar" else "ltr")


@pytest.mark.parametrize("localised_page", ["ar", "fr", "ru", "uk"], indirect=True)
def test_cso_journey_in_each_language(app, live_server, localised_page):
    locale, page = localised_page
    seed_demo()
    db.session.commit()

    page.goto(live_server.url + "/")
    _reads(page, locale)
    _shot(page, locale, "1-welcome")

    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/consultations")
    _reads(page, locale)
    _shot(page, locale, "2-consultations")

    click_and_wait(page, "main h3 a")
    _reads(page, locale)
    _shot(page, locale, "3-consultation")

    page.goto(page.url + "/inputs/new")
    _reads(page, locale)
    page.select_option("select[name=priority]", "ssr")
    page.select_option("select[name=main_country]", "TN")
    click_and_wait(page, "main button[type=submit]")
    _reads(page, locale)
    # The input's language defaults to the interface language.
    assert page.input_value("select[name=language]") == locale
    page.select_option("select[name=level]", "national")
    page.select_option("select[name=input_type]", "good-practice")
    page.fill("input[name=title]", ARABIC_TITLE)
    page.fill("textarea[name=body]", "Monthly forums (EU-funded) reduced tension.")
    page.select_option("select[name='recommendations-0-addressee']", "eu")
    page.fill("textarea[name='recommendations-0-text']", "Fund the forums for three years.")
    _shot(page, locale, "4-form")
    click_and_wait(page, "input[name=review]")
    _reads(page, locale)
    _shot(page, locale, "4-review")
    click_and_wait(page, "input[name=submit]")

    _reads(page, locale)
    assert page.locator("h1").get_attribute("dir") == "auto"
    assert page.locator("h1").inner_text() == ARABIC_TITLE
    # The Arabic title reads right to left whatever the interface language.
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    _shot(page, locale, "5-input")

    page.goto(f"{live_server.url}/my_inputs")
    _reads(page, locale)
    _shot(page, locale, "6-our-inputs")
    db.session.commit()
    stored = db.session.scalar(select(Input).where(Input.title == ARABIC_TITLE))
    assert stored is not None and stored.language == locale


def test_switcher_turns_the_page_right_to_left_without_javascript(browser, app, live_server):
    context = browser.new_context(java_script_enabled=False, locale="en")
    page = context.new_page()
    page.goto(live_server.url + "/auth/login")
    assert page.locator("html").get_attribute("dir") == "ltr"
    click_and_wait(page, "button[name=lang][value=ar]")
    assert page.url.endswith("/auth/login")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    _shot(page, "ar", "0-switched")
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"  # the cookie remembers
    context.close()
