"""The demo moderator works the queue in a real browser; the CSO and HQ see the outcomes."""

from __future__ import annotations

import re

import pytest

from consult.cli.demo import DEFAULT_DEMO_PASSWORD
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests.browser.conftest import (
    CSO,
    EMAIL_IN_BODY,
    HQ,
    MODERATOR,
    click_and_wait,
    seed_review_inputs,
    sign_in,
)

pytestmark = pytest.mark.browser


def _sign_out(page):
    click_and_wait(page, "text=Sign out")


def test_moderator_works_the_queue_cso_sees_outcomes_hq_sees_redaction(app, live_server, any_page):
    page = any_page
    ids = seed_review_inputs()

    # The moderator's queue: three inputs, the HQ-direct one is not there.
    sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
    assert page.url.startswith(f"{live_server.url}/review/queue")
    body = page.content()
    assert "Police-community forums in Kasserine" in body
    assert "Threats against our staff" not in body

    # Claim, redact the email flagged in the body, forward with a note to HQ.
    click_and_wait(page, "text=Police-community forums in Kasserine")
    click_and_wait(page, "button:has-text('Claim')")
    assert "You hold this input" in page.content()
    assert page.locator("mark.identifier", has_text=EMAIL_IN_BODY).count() == 1
    page.get_by_label(re.compile(re.escape(EMAIL_IN_BODY))).check()
    click_and_wait(page, "text=Redact ticked identifiers")
    assert "1 identifier redacted." in page.content()
    assert EMAIL_IN_BODY not in page.locator("#text-body").inner_text()
    assert "[redacted]" in page.locator("#text-body").inner_text()
    page.fill("#hq_note", "Concrete and replicable.")
    click_and_wait(page, "button[value=forward]")
    assert "Forwarded to HQ." in page.content()

    # Return one with a question.
    click_and_wait(page, "text=Youth at the border")
    page.fill("#question", "Which border crossings do you mean?")
    click_and_wait(page, "button[value=return]")
    click_and_wait(page, "text=Yes, return it to the CSO")
    assert "Returned to the CSO with your question." in page.content()

    # Decline one with a reason from the list and a word of explanation.
    click_and_wait(page, "text=Our annual gala")
    page.select_option("#reason", "out-of-scope")
    page.fill("#explanation", "An event announcement, not an input on security.")
    click_and_wait(page, "button[value=decline]")
    click_and_wait(page, "text=Yes, decline it")
    assert "Declined; the CSO sees your reason." in page.content()
    page.goto(f"{live_server.url}/review/queue?status=all")
    assert "Forwarded to HQ: <strong>1</strong>" in page.content()
    _sign_out(page)

    # The CSO sees each outcome on its own input pages.
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inputs/{ids['forward']}")
    assert "Forwarded to HQ" in page.content()
    assert "Concrete and replicable." not in page.content()  # the note is for HQ
    page.goto(f"{live_server.url}/inputs/{ids['return']}")
    assert "Returned to you" in page.content()
    assert "Which border crossings do you mean?" in page.content()
    page.goto(f"{live_server.url}/inputs/{ids['decline']}")
    assert "Declined" in page.content()
    assert "An event announcement, not an input on security." in page.content()
    _sign_out(page)

    # HQ sees the forwarded input with the redaction applied, and works its own queue.
    sign_in(page, live_server, HQ, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/forwarded")
    click_and_wait(page, "text=Police-community forums in Kasserine")
    text = page.locator("#text-body").inner_text()
    assert "[redacted]" in text and EMAIL_IN_BODY not in text
    assert "Concrete and replicable." in page.content()
    page.fill("#note", "Reflected in the partnership priorities with Tunisia.")
    click_and_wait(page, "text=Save and tell the CSO")
    assert "Your note is saved; the CSO sees it." in page.content()

    page.goto(f"{live_server.url}/review/queue")
    assert "HQ queue" in page.content()
    click_and_wait(page, "text=Threats against our staff")
    assert "Tunisian Forum for Community Safety" in page.content()  # HQ may see who
    click_and_wait(page, "button:has-text('Claim')")
    click_and_wait(page, "button[value=forward]")
    assert "Accepted for HQ digests." in page.content()

    db.session.expire_all()
    statuses = {key: db.session.get(Input, ident).status for key, ident in ids.items()}
    assert statuses == {
        "forward": Status.USED,
        "return": Status.RETURNED,
        "decline": Status.DECLINED,
        "direct": Status.FORWARDED,
    }
    forwarded = db.session.get(Input, ids["forward"])
    assert EMAIL_IN_BODY in forwarded.body  # the sealed original is intact
    assert EMAIL_IN_BODY not in forwarded.effective_body
