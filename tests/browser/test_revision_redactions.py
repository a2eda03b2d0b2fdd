"""A resubmitted revision shows what was redacted before and cannot be forwarded with it again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_CONSULTATION_SLUG
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.inputs.states import Attribution, Status
from tests import factories
from tests.browser.conftest import (
    CSO,
    MODERATOR,
    click_and_wait,
    review_and_send,
    seed_review_inputs,
    sign_in,
)

pytestmark = pytest.mark.browser

EMAIL = "amira.b@tfcs-mail.org"


def test_a_revision_carries_its_earlier_redactions_to_the_moderator(app, live_server, any_page):
    """The CSO answers a returned question (JavaScript on and off)."""
    page = any_page
    seed_review_inputs()
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )
    item = factories.make_input(
        consultation,
        user_by_email(CSO),
        title="Checkpoints in the south",
        body=f"Our field officer ({EMAIL}) logged the checkpoints.",
        # Attributable: only the earlier redaction makes the moderator check it.
        attribution=Attribution.ATTRIBUTABLE,
    )
    db.session.commit()

    # The moderator redacts the email and returns the input with a question.
    sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/inputs/{item.id}")
    click_and_wait(page, "button:has-text('Claim')")
    page.fill("#passages", EMAIL)
    page.fill("#question", "Which checkpoints?")
    click_and_wait(page, "button[value=return]")
    click_and_wait(page, "text=Yes, return it to the CSO")
    click_and_wait(page, "text=Sign out")

    # The CSO answers, and the email is in the new text again.
    sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inputs/{item.id}/revise")
    page.fill("textarea[name=body]", f"Checkpoints on the coastal road, logged by {EMAIL}.")
    review_and_send(page, "resubmit")
    expect(page.locator(".flash")).to_contain_text("Your revision is sent.")
    click_and_wait(page, "text=Sign out")

    sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/review/inputs/{item.id}")
    notice = page.locator("#earlier-redactions")
    expect(notice).to_contain_text(EMAIL)
    expect(notice).to_contain_text("in the new text again")
    click_and_wait(page, "button:has-text('Claim')")

    # Emptying the prepared passages and forwarding is refused.
    page.fill("#passages", "")
    click_and_wait(page, "button[value=forward]")
    expect(page.locator("main")).to_contain_text(
        re.compile("redacted in the earlier version is in the new text again")
    )
    db.session.expire_all()
    assert db.session.get(Input, item.id).status != Status.FORWARDED

    # As prepared, Forward redacts it again and forwards.
    page.goto(f"{live_server.url}/review/inputs/{item.id}")
    assert page.input_value("#passages") == EMAIL
    click_and_wait(page, "button[value=forward]")
    expect(page.locator(".flash")).to_contain_text("Forwarded to HQ.")
    db.session.expire_all()
    saved = db.session.get(Input, item.id)
    assert saved.status == Status.FORWARDED
    assert EMAIL not in saved.effective_body and "[redacted]" in saved.effective_body
