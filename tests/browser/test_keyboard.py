"""A CSO member signs in and sends an input through its steps with the keyboard alone.

No click: Tab moves on, typing fills a field, arrows choose in a list, Enter presses
a button or follows a link. Every control that takes the focus on the way shows it
(a computed outline or box shadow).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, seed_demo
from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests.browser.conftest import CSO

pytestmark = pytest.mark.browser

#: What the focused element looks like: its selector-ish name, and whether a focus ring shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  const name = el.tagName.toLowerCase() + (el.name ? `[name=${el.name}]` : '')
    + (el.id ? `#${el.id}` : '') + (el.tagName === 'A' ? ` "${el.textContent.trim()}"` : '');
  return {name, ring};
}"""


class Keyboard:
    """Moves the focus with Tab and remembers every control that showed no focus ring."""

    def __init__(self, page) -> None:
        self.page = page
        self.unringed: list[str] = []

    def tab_to(self, selector: str, limit: int = 250) -> None:
        """Press Tab until ``selector`` has the focus, checking each stop's focus ring."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            if not focused["ring"]:
                self.unringed.append(focused["name"])
            if self.page.locator(selector).first.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def press_and_wait(self, key: str) -> None:
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press(key)


def test_a_cso_sends_an_input_with_the_keyboard_alone(app, live_server, page):
    seed_demo()
    db.session.commit()
    keys = Keyboard(page)
    page.goto(f"{live_server.url}/auth/login")
    keys.tab_to("input[name=email]")
    page.keyboard.type(CSO)
    keys.tab_to("input[name=password]")
    page.keyboard.type(DEFAULT_DEMO_PASSWORD)
    keys.press_and_wait("Enter")

    page.goto(f"{live_server.url}/consultations")
    keys.tab_to("main a:has-text('Implementing the security dimension of the ENP')")
    keys.press_and_wait("Enter")
    keys.tab_to("main a:has-text('Write an input')")
    keys.press_and_wait("Enter")

    # Step 1: the priority and the main country.
    keys.tab_to("select[name=priority]")
    page.keyboard.press("ArrowDown")  # the first priority: security sector reform
    keys.tab_to("select[name=main_country]")
    page.keyboard.type("Tunisia")
    assert page.input_value("select[name=main_country]") == "TN"
    keys.tab_to("main button[type=submit]")
    keys.press_and_wait("Enter")

    # Step 2: the text beside the questions of that priority.
    assert page.input_value("select[name=priority]") == "ssr"
    keys.tab_to("select[name=level]")
    page.keyboard.press("ArrowDown")
    keys.tab_to("select[name=input_type]")
    page.keyboard.press("ArrowDown")
    keys.tab_to("input[name=title]")
    page.keyboard.type("Neighbourhood safety walks")
    keys.tab_to("textarea[name=body]")
    page.keyboard.type("Residents and police walk the market together every Friday.")
    keys.tab_to("textarea[name='recommendations-0-text']")
    page.keyboard.type("Fund the walks in two more towns.")
    keys.tab_to("input#theme-youth")
    page.keyboard.press("Space")
    assert page.is_checked("input#theme-youth")
    keys.tab_to("input[name=review]")
    keys.press_and_wait("Enter")

    # Step 3: the review, then Submit.
    assert "Neighbourhood safety walks" in page.locator(".review-list").inner_text()
    keys.tab_to("input[name=submit]")
    keys.press_and_wait("Enter")
    assert "Your input is submitted." in page.locator(".flash").inner_text()

    assert keys.unringed == []
    db.session.commit()
    item = db.session.scalar(select(Input))
    assert item.status == Status.SUBMITTED
    assert item.title == "Neighbourhood safety walks"
    assert [t.slug for t in item.themes] == ["youth"]
