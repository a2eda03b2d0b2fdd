"""What needs attention stands out: a question for the CSO, what is new in a queue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_CONSULTATION_SLUG
from consult.extensions import db
from consult.inputs.events import EventKind, add_event
from consult.inputs.models import Consultation
from consult.inputs.states import Status
from tests import factories
from tests.browser.conftest import CSO, HQ, MODERATOR, click_and_wait, seed_review_inputs, sign_in

pytestmark = pytest.mark.browser


def _consultation() -> Consultation:
    return db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )


def test_a_returned_question_comes_first_for_the_cso_with_a_count_in_the_navigation(
    app, live_server, page
):
    seed_review_inputs()
    item = factories.make_input(
        _consultation(), user_by_email(CSO), title="Night patrols", status=Status.RETURNED
    )
    add_event(
        item, user_by_email(MODERATOR), EventKind.RETURNED, message="Which districts?", visible=True
    )
    db.session.commit()
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/my_inputs")
    expect(page.locator("nav a[href$='/my_inputs'] .count")).to_have_text("1 to answer")
    attention = page.locator("main .attention")
    expect(attention).to_contain_text("1 input needs your answer")
    expect(attention).to_contain_text("Night patrols")
    expect(attention).to_contain_text("Which districts?")
    # It comes before the filters and the full list.
    assert page.evaluate(
        "document.querySelector('main .attention').compareDocumentPosition("
        "document.querySelector('main form.filters')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    click_and_wait(page, "text=Answer and resubmit")
    assert page.url.endswith(f"/inputs/{item.id}/revise")


def test_the_queue_marks_what_arrived_since_the_last_visit(app, live_server, page):
    seed_review_inputs()
    sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
    assert page.url.startswith(f"{live_server.url}/review/queue")  # where a moderator lands
    expect(page.locator("#new-since")).to_contain_text("3 inputs are waiting")
    expect(page.locator("td .status.new")).to_have_count(3)
    page.reload()
    expect(page.locator("#new-since")).to_contain_text("Nothing new since your last visit")
    assert page.locator("nav a[href$='/review/queue'] .count").count() == 0
    assert page.locator("td .status.new").count() == 0

    factories.make_input(_consultation(), user_by_email(CSO), title="Smuggling routes")
    db.session.commit()
    page.goto(f"{live_server.url}/auth/profile")
    expect(page.locator("nav a[href$='/review/queue'] .count")).to_have_text("1 new")
    click_and_wait(page, "nav >> text=Review queue")
    expect(page.locator("#new-since")).to_contain_text("1 input arrived since your last visit")
    row = page.locator("tr", has=page.locator("td .status.new"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Smuggling routes")


def test_hq_sees_what_was_forwarded_since_the_last_visit(app, live_server, page):
    seed_review_inputs()
    sign_in(page, live_server, HQ, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/forwarded")
    factories.make_input(
        _consultation(), user_by_email(CSO), title="Forwarded later", status=Status.FORWARDED
    )
    db.session.commit()
    page.goto(f"{live_server.url}/auth/profile")
    forwarded_link = page.locator("nav a", has_text="Forwarded inputs")
    expect(forwarded_link.locator(".count")).to_have_text("1 new")


def test_the_demo_organisation_admin_reaches_our_data(app, live_server, page):
    seed_review_inputs()
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    click_and_wait(page, "nav >> text=Our data")
    assert page.url == f"{live_server.url}/organisation/data"
    expect(page.locator("main")).to_contain_text("Tunisian Forum for Community Safety")
