"""The input form's text step: its questions beside the text box, and a shorter page."""

from __future__ import annotations

import pytest

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from consult.extensions import db
from tests.browser.conftest import CSO, open_new_input_form, sign_in

pytestmark = pytest.mark.browser

#: The height of the one long input form when issue 14 was filed, by viewport width.
ISSUE_MEASURE = {1280: 3400, 360: 4400}
BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
def test_the_questions_are_in_view_with_the_text_box(app, live_server, browser, width, height):
    seed_demo()
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
        open_new_input_form(page, live_server)
        body = page.locator("textarea[name=body]")
        questions = page.locator("#guiding-questions")
        body.scroll_into_view_if_needed()
        questions.scroll_into_view_if_needed()
        b_left, b_top, b_right, b_bottom = body.evaluate(BOX)
        q_left, q_top, q_right, q_bottom = questions.evaluate(BOX)
        assert -1 <= q_top and q_bottom <= height + 1, "the questions are in view"
        if width >= 1000:
            # Beside the text box, on the same screen.
            assert q_left >= b_right and 0 <= b_top < height
        else:
            # Right above it on a phone, read before writing.
            assert q_bottom <= b_top
        # Shorter than the single long form was (issue 14 measured it).
        assert page.evaluate("document.documentElement.scrollHeight") < ISSUE_MEASURE[width]
    finally:
        context.close()
