"""Nothing typed or attached is lost: the journeys where it used to be (issue 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests.browser.conftest import CSO, click_and_wait, open_new_input_form, sign_in
from tests.sample_files import pdf_with_author

pytestmark = pytest.mark.browser


def fill_minimal_input(page) -> None:
    page.select_option("select[name=priority]", "ssr")
    page.select_option("select[name=main_country]", "TN")
    page.select_option("select[name=level]", "local")
    page.select_option("select[name=input_type]", "good-practice")
    page.fill("input[name=title]", "Youth councils in Sfax")
    page.fill("textarea[name=body]", "Youth councils meet the police every month.")
    page.fill("textarea[name='recommendations-0-text']", "Fund the councils.")


def _choose_minutes(page) -> None:
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": pdf_with_author()}],
    )


def test_the_cso_drafts_attaches_is_signed_out_signs_in_and_submits(app, live_server, any_page):
    """With JavaScript on and off: files chosen when the session ended are named and asked for."""
    page = any_page
    seed_demo()
    db.session.commit()
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    open_new_input_form(page, live_server)
    fill_minimal_input(page)
    click_and_wait(page, "input[name=save_draft]")
    expect(page.locator(".flash")).to_contain_text("Draft saved.")
    assert page.url.endswith("/edit")

    _choose_minutes(page)
    page.context.clear_cookies()  # the session ends while the person writes
    click_and_wait(page, "input[name=review]")
    rescue = page.locator(".rescue")
    expect(rescue).to_contain_text("Your session ended before this was saved")
    expect(rescue).to_contain_text("minutes.pdf")
    expect(rescue).to_contain_text("choose them again")

    # Signing in and going on without the file sends nothing: the file is asked for.
    page.fill("input[name=reauth_email]", CSO)
    page.fill("input[name=reauth_password]", DEFAULT_DEMO_PASSWORD)
    click_and_wait(page, "input[name=review]")
    expect(page.locator("#files")).to_contain_text("minutes.pdf")
    assert page.input_value("input[name=title]") == "Youth councils in Sfax"
    db.session.commit()
    assert db.session.scalar(select(Input).where(Input.status == Status.SUBMITTED)) is None

    # Chosen again, it is on the review and goes with the input: one input, the draft sent.
    _choose_minutes(page)
    click_and_wait(page, "input[name=review]")
    expect(page.locator(".review-list")).to_contain_text("minutes.pdf")
    click_and_wait(page, "input[name=submit]")
    expect(page.locator(".flash")).to_contain_text("Your input is submitted.")
    db.session.commit()
    items = list(db.session.scalars(select(Input)))
    assert [i.status for i in items] == [Status.SUBMITTED]
    assert [a.filename for a in items[0].attachments] == ["minutes.pdf"]


def test_the_draft_saves_itself_while_the_person_writes(app, live_server, page):
    seed_demo()
    db.session.commit()
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    open_new_input_form(page, live_server)
    expect(page.locator("#autosave-status")).to_contain_text("saved automatically")
    # Buttons in the order people need them: saving first.
    buttons = page.locator(".form-actions input[type=submit]")
    assert buttons.first.get_attribute("name") == "save_draft"
    page.evaluate("document.querySelector('form[data-autosave]').dataset.autosave = '300'")
    page.fill("input[name=title]", "Youth councils in Sfax")
    page.fill("textarea[name=body]", "Half an hour of careful writing.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved automatically at")
    page.wait_for_url("**/inputs/*/edit")

    db.session.commit()
    draft = db.session.scalar(select(Input))
    assert draft.status == Status.DRAFT and draft.body == "Half an hour of careful writing."

    # The tab is closed and opened again: the text is there.
    page.goto(f"{live_server.url}/my_inputs")
    expect(page.locator("main")).to_contain_text("Youth councils in Sfax")
    page.goto(f"{live_server.url}/inputs/{draft.id}/edit")
    assert page.input_value("textarea[name=body]") == "Half an hour of careful writing."
    # Saving again updates the same draft, never a second one.
    page.evaluate("document.querySelector('form[data-autosave]').dataset.autosave = '300'")
    page.fill("textarea[name=body]", "Half an hour of careful writing, and more.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved automatically at")
    db.session.commit()
    assert [i.body for i in db.session.scalars(select(Input))] == [
        "Half an hour of careful writing, and more."
    ]


def test_without_javascript_the_form_says_drafts_are_saved_by_the_button(app, live_server, browser):
    seed_demo()
    db.session.commit()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
        open_new_input_form(page, live_server)
        expect(page.locator("#autosave-status")).to_contain_text(
            "automatic saving needs JavaScript"
        )
    finally:
        context.close()
