"""The review page is one form: corrections go with the decision; return and decline confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from consult.cli.demo import DEFAULT_DEMO_PASSWORD
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests.browser.conftest import MODERATOR, click_and_wait, seed_review_inputs, sign_in

pytestmark = pytest.mark.browser


def open_claimed(page, live_server, title: str) -> dict:
    """The demo inputs seeded; the moderator signed in holds the one called ``title``."""
    ids = seed_review_inputs()
    sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/queue")
    click_and_wait(page, f"text={title}")
    click_and_wait(page, "button:has-text('Claim')")
    return ids


def test_a_summary_typed_then_forward_is_saved_with_the_decision(app, live_server, any_page):
    page = any_page
    ids = open_claimed(page, live_server, "Youth at the border")
    page.fill("#moderator_summary", "Three crossings, one pattern of abuse.")
    page.fill("#hq_note", "Worth a follow-up.")
    click_and_wait(page, "button[value=forward]")
    expect(page.locator(".flash")).to_contain_text("Your changes are saved. Forwarded to HQ.")
    db.session.expire_all()
    item = db.session.get(Input, ids["return"])
    assert item.status == Status.FORWARDED
    assert item.moderator_summary == "Three crossings, one pattern of abuse."
    assert item.hq_note == "Worth a follow-up."


def test_return_is_confirmed_on_a_second_page_and_back_keeps_the_question(
    app, live_server, any_page
):
    page = any_page
    ids = open_claimed(page, live_server, "Youth at the border")
    page.fill("#question", "Which border crossings do you mean?")
    click_and_wait(page, "button[value=return]")
    expect(page.locator("h1")).to_have_text("Return this input?")
    expect(page.locator("main")).to_contain_text("Which border crossings do you mean?")
    db.session.expire_all()
    assert db.session.get(Input, ids["return"]).status != Status.RETURNED

    click_and_wait(page, "text=No, back to the input")
    assert page.input_value("#question") == "Which border crossings do you mean?"
    click_and_wait(page, "button[value=return]")
    click_and_wait(page, "text=Yes, return it to the CSO")
    expect(page.locator(".flash")).to_contain_text("Returned to the CSO with your question.")
    db.session.expire_all()
    assert db.session.get(Input, ids["return"]).status == Status.RETURNED


def test_decline_without_a_reason_says_so_beside_the_field_then_confirms(
    app, live_server, any_page
):
    page = any_page
    ids = open_claimed(page, live_server, "Our annual gala")
    page.fill("#explanation", "An event announcement.")
    click_and_wait(page, "button[value=decline]")
    expect(page.locator("#reason-error")).to_contain_text("Choose a reason for declining.")
    assert page.input_value("#explanation") == "An event announcement."
    page.select_option("#reason", "out-of-scope")
    click_and_wait(page, "button[value=decline]")
    expect(page.locator("h1")).to_have_text("Decline this input?")
    click_and_wait(page, "text=Yes, decline it")
    expect(page.locator(".flash")).to_contain_text("Declined; the CSO sees your reason.")
    db.session.expire_all()
    assert db.session.get(Input, ids["decline"]).status == Status.DECLINED
