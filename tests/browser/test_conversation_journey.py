"""In a real browser: a moderator asks in the thread, the CSO sees the count and answers, the
moderator forwards."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.inputs.states import Status
from tests import factories
from tests.browser.conftest import click_and_wait, sign_in

pytestmark = pytest.mark.browser

QUESTION = "Which districts do the forums cover, and since when?"
ANSWER = "Gafsa and Redeyef, since March."


def _sign_out(page):
    click_and_wait(page, "text=Sign out")


def test_ask_answer_forward(app, live_server, any_page):
    page = any_page
    consultation = factories.make_consultation()
    organisation = factories.make_organisation("Gafsa Civic Forum", ["TN"])
    cso = factories.make_user("member@gcf.example.org", "cso", organisation=organisation)
    moderator = factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")
    item = factories.make_input(
        consultation,
        cso,
        title="Joint patrols that calmed the market",
        body="Mixed patrols with municipal staff reduced tension at the weekly market.",
        recommendations=(("eu", "Fund mixed patrols."),),
    )
    item_id = item.id

    # The moderator asks in the thread, without returning the input.
    sign_in(page, live_server, moderator.email, factories.PASSWORD)
    page.goto(f"{live_server.url}/review/inputs/{item_id}")
    page.fill("#message-body", QUESTION)
    page.check("#message-question")
    click_and_wait(page, "button:has-text('Send message')")
    assert QUESTION in page.locator("#thread").inner_text()
    assert "Your question waits for the organisation's answer." in page.content()
    _sign_out(page)

    # The CSO sees one unread notification, opens it and answers.
    sign_in(page, live_server, cso.email, factories.PASSWORD)
    assert page.locator("#nav-news .count").inner_text() == "1"
    click_and_wait(page, "#nav-news")
    click_and_wait(page, "text=waits for your answer")
    assert page.url.endswith(f"/inputs/{item_id}#thread")
    assert "A reviewer asked a question" in page.content()
    assert QUESTION in page.locator("#thread").inner_text()
    assert page.locator("#nav-news .count").count() == 0  # read now
    page.fill("#message-body", ANSWER)
    click_and_wait(page, "button:has-text('Send message')")
    assert ANSWER in page.locator("#thread").inner_text()
    assert "Submitted" in page.content()  # still in the queue, not returned
    _sign_out(page)

    # The moderator reads the answer and forwards.
    sign_in(page, live_server, moderator.email, factories.PASSWORD)
    assert page.locator("#nav-news .count").inner_text() == "1"  # the answer (the input was read)
    page.goto(f"{live_server.url}/review/inputs/{item_id}")
    assert ANSWER in page.locator("#thread").inner_text()
    click_and_wait(page, "button:has-text('Claim')")
    click_and_wait(page, "button[value=forward]")
    assert "Forwarded to HQ." in page.content()

    db.session.expire_all()
    db.session.refresh(item)
    assert item.status == Status.FORWARDED
