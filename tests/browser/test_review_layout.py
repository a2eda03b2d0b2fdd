"""At 1280 x 800 the reviewer sees the text, its identifier findings and the decision together."""

from __future__ import annotations

import pytest

from consult.cli.demo import DEFAULT_DEMO_PASSWORD
from tests.browser.conftest import LAYOUT_SCREENSHOTS as SCREENSHOTS
from tests.browser.conftest import MODERATOR, click_and_wait, seed_review_inputs, sign_in

pytestmark = pytest.mark.browser

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top < window.innerHeight && box.bottom > 0 && box.height > 0;
}"""


def test_text_findings_and_decision_are_in_view_together(app, live_server, browser):
    ids = seed_review_inputs()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, MODERATOR, DEFAULT_DEMO_PASSWORD)
        page.goto(f"{live_server.url}/review/inputs/{ids['forward']}")
        click_and_wait(page, "button:has-text('Claim')")
        page.evaluate("document.querySelector('#text-body').scrollIntoView()")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "moderator-review-page-1280x800.png"))
        for selector in ("#text-body", "#identifiers", "button[value=forward]"):
            assert page.evaluate(IN_VIEW, selector), selector
        # Reading further down the page, the decision stays in view.
        page.evaluate("document.querySelector('#edit-heading').scrollIntoView()")
        assert page.evaluate(IN_VIEW, "button[value=forward]")
    finally:
        context.close()
