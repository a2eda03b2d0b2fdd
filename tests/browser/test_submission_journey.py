"""A demo CSO member submits an input in a real browser; the stored files carry no metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.scope import can_see_input
from consult.inputs.states import RoutedTo, Status
from consult.submissions.attachments import attachment_path
from tests.browser.conftest import (
    CSO,
    click_and_wait,
    open_new_input_form,
    review_and_send,
    sign_in,
)
from tests.sample_files import (
    GPS_IFD,
    SECRET_NAME,
    SECRET_TOOL,
    jpeg_with_gps,
    pdf_with_author,
)

pytestmark = pytest.mark.browser


def _questions_shown(page) -> list[str]:
    return page.locator("#guiding-questions [data-questions-for]:visible").evaluate_all(
        "blocks => blocks.map(b => b.getAttribute('data-questions-for'))"
    )


def test_demo_cso_submits_an_input_with_two_countries_recommendations_and_files(
    app, live_server, any_page
):
    page = any_page
    seed_demo()
    db.session.commit()
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    open_new_input_form(page, live_server, priority="crisis", country="TN")

    # Beside the text: the guiding questions of the priority chosen in step 1.
    assert _questions_shown(page) == ["crisis"]
    page.fill("input[name=title]", "Joint police-community forums in Kasserine")
    page.select_option("select[name=priority]", "ssr")
    show = page.locator("input[name=show_questions]")
    if show.is_visible():  # without JavaScript: the button brings them, keeping the text
        click_and_wait(page, "input[name=show_questions]")
    # With JavaScript they changed in place; either way nothing typed is lost.
    assert _questions_shown(page) == ["ssr"]
    assert page.input_value("input[name=title]") == "Joint police-community forums in Kasserine"
    page.click("summary:has-text('Other countries this input is about')")  # folded: optional
    page.check("#country-LB")
    page.select_option("select[name=level]", "national")
    page.select_option("select[name=input_type]", "good-practice")
    page.fill("input[name=title]", "Joint police-community forums in Kasserine")
    page.fill("textarea[name=body]", "Monthly forums reduced tension between youth and police.")
    page.select_option("select[name='recommendations-0-addressee']", "eu")
    page.fill("textarea[name='recommendations-0-text']", "Fund the forums for three years.")
    page.check("#theme-youth")
    # Non-attributable is the default choice.
    assert page.is_checked("input[name=attribution][value=non-attributable]")
    page.set_input_files(
        "input[name=attachments]",
        files=[
            {"name": "forum.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()},
            {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": pdf_with_author()},
        ],
    )
    # No JavaScript needed: the button re-renders the form with one more row,
    # keeping what was typed and the files already accepted.
    click_and_wait(page, "text=Add another recommendation")
    assert page.input_value("input[name=title]") == "Joint police-community forums in Kasserine"
    assert "forum.jpg" in page.content() and "minutes.pdf" in page.content()
    page.select_option("select[name='recommendations-1-addressee']", "partner-government")
    page.fill("textarea[name='recommendations-1-text']", "Publish complaint statistics.")

    # The review shows what is sent and to whom; Edit comes back with everything kept.
    click_and_wait(page, "input[name=review]")
    expect(page.locator("#review-routing")).to_contain_text(
        "It goes to the EU Delegation to Tunisia, which covers Tunisia."
    )
    review = page.locator(".review-list")
    for shown in ("Publish complaint statistics.", "Lebanon", "forum.jpg", "minutes.pdf"):
        expect(review).to_contain_text(shown)
    click_and_wait(page, "input[name=edit]")
    assert page.input_value("textarea[name='recommendations-1-text']") == (
        "Publish complaint statistics."
    )
    assert page.is_checked("#country-LB") and page.is_checked("#theme-youth")
    expect(page.locator("#files")).to_contain_text("minutes.pdf")
    review_and_send(page)

    content = page.content()
    assert "Your input is submitted." in content
    assert "Sent to the EU Delegation to Tunisia, which covers Tunisia." in content

    db.session.commit()  # see what the server wrote
    item = db.session.scalar(select(Input))
    assert item.status == Status.SUBMITTED
    assert item.country_codes == ["TN", "LB"]
    assert [r.addressee_slug for r in item.recommendations] == ["eu", "partner-government"]
    assert item.routed_to == RoutedTo.DELEGATION and item.delegation_slug == "eud-tn"
    assert can_see_input(user_by_email("moderator.tn@consult.example.org"), item)
    assert not can_see_input(user_by_email("moderator.lb@consult.example.org"), item)

    files = {a.filename: attachment_path(a).read_bytes() for a in item.attachments}
    assert set(files) == {"forum.jpg", "minutes.pdf"}
    with Image.open(io.BytesIO(files["forum.jpg"])) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
        assert len(image.getexif()) == 0
    reader = PdfReader(io.BytesIO(files["minutes.pdf"]))
    assert (reader.metadata or {}).get("/Author") is None
    for data in files.values():
        assert SECRET_NAME.encode() not in data and SECRET_TOOL.encode() not in data

    # The file the browser downloads is the cleaned one.
    with page.expect_download() as download_info:
        page.click("text=forum.jpg")
    assert open(download_info.value.path(), "rb").read() == files["forum.jpg"]

    # The moderator of the Tunisia delegation finds it in the review queue.
    click_and_wait(page, "text=Sign out")
    sign_in(page, live_server, "moderator.tn@consult.example.org", DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/queue")
    assert "Joint police-community forums in Kasserine" in page.content()


def test_an_input_about_syria_goes_to_hq(app, live_server, page):
    seed_demo()
    db.session.commit()
    sign_in(page, live_server, "cso.lb@consult.example.org", DEFAULT_DEMO_PASSWORD)
    open_new_input_form(page, live_server, priority="crisis", country="SY")
    page.select_option("select[name=level]", "local")
    page.select_option("select[name=input_type]", "risk-alert")
    page.fill("input[name=title]", "Early warning in the north-west")
    page.fill("textarea[name=body]", "Signs of renewed displacement.")
    page.fill("textarea[name='recommendations-0-text']", "Prepare a response plan.")
    click_and_wait(page, "input[name=review]")
    expect(page.locator("#review-routing")).to_contain_text(
        "It goes to EU headquarters (EEAS and DG NEAR), because no EU Delegation covers Syria."
    )
    click_and_wait(page, "input[name=submit]")
    assert "because no EU Delegation covers Syria" in page.content()
    db.session.commit()
    item = db.session.scalar(select(Input))
    assert item.routed_to == RoutedTo.HQ and item.delegation_slug is None
    assert can_see_input(user_by_email("hq@consult.example.org"), item)


def fits_the_screen(page) -> bool:
    """Nothing sticks out sideways (works with page scripts turned off)."""
    page.wait_for_load_state("load")  # the stylesheet is applied
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_on_a_small_phone_without_javascript_the_journey_fits_and_works(app, live_server, browser):
    seed_demo()
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
        assert fits_the_screen(page), "our inputs"
        page.goto(f"{live_server.url}/consultations")
        click_and_wait(page, "text=Implementing the security dimension of the ENP")
        click_and_wait(page, "text=Write an input")
        assert fits_the_screen(page), "the input form, step 1"
        click_and_wait(page, "main button[type=submit]")
        expect(page.locator(".error-summary")).to_contain_text("Choose the priority")
        open_new_input_form(page, live_server)
        assert fits_the_screen(page), "the input form"

        click_and_wait(page, "input[name=review]")
        expect(page.locator(".error-summary")).to_contain_text("Choose a level.")
        assert page.get_attribute("#level", "aria-invalid") == "true"
        assert fits_the_screen(page), "the form with errors"

        page.select_option("select[name=priority]", "crisis")
        page.select_option("select[name=main_country]", "TN")
        page.select_option("select[name=level]", "local")
        page.select_option("select[name=input_type]", "risk-alert")
        page.fill("input[name=title]", "Flooding and tension in Gafsa")
        page.fill("textarea[name=body]", "Water shortages raise tension.")
        page.fill("textarea[name='recommendations-0-text']", "Support local mediators.")
        click_and_wait(page, "text=Add another recommendation")
        # Back at the new row, not at the top of a long page; nothing lost.
        page.wait_for_url("**#recommendation-2")
        assert page.input_value("textarea[name='recommendations-0-text']") == (
            "Support local mediators."
        )
        page.fill("textarea[name='recommendations-1-text']", "Publish water allocations.")
        click_and_wait(page, "input[name=review]")
        assert fits_the_screen(page), "the review before sending"
        click_and_wait(page, "input[name=submit]")
        expect(page.locator(".flash")).to_contain_text("Your input is submitted.")
        assert not page.url.endswith("#recommendation-2")

        # Withdrawing takes two taps: open the disclosure, then confirm.
        assert not page.is_visible("button:has-text('Withdraw this input')")
        page.click("summary:has-text('Withdraw this input')")
        click_and_wait(page, "button:has-text('Withdraw this input')")
        expect(page.locator(".flash")).to_contain_text("Your input is withdrawn.")

        page.goto(f"{live_server.url}/my_inputs")
        expect(page.locator("main")).to_contain_text("Flooding and tension in Gafsa")
        assert fits_the_screen(page), "our inputs with the new input"
    finally:
        context.close()
