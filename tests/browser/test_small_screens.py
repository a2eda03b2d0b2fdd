"""At 360 x 740 no page scrolls sideways, for any role, error states included.

Screenshots at 360 and 1280 px wide are kept under ``build/screenshots/layout/``
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_CONSULTATION_SLUG, publish_demo_release
from consult.cli.demo_inputs import seed_demo_inputs
from consult.extensions import db
from consult.inputs.models import Input
from tests import factories
from tests.browser.conftest import LAYOUT_SCREENSHOTS as SCREENSHOTS
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


PAGES = {
    "cso.tn@consult.example.org": [
        "/my_inputs",
        "/consultations",
        "/auth/account",
        "/auth/account/time-zone",
        "/organisation/data",
        "{new_input}",
        "{input_text}",
    ],
    "moderator.tn@consult.example.org": ["/review/queue", "/review/queue?status=all", "{review}"],
    "hq@consult.example.org": [
        "/review/queue",
        "/review/forwarded",
        "/digest/",
        f"/digest/?audience=external&consultation={DEMO_CONSULTATION_SLUG}",
        "/digest/download/html?audience=internal",
    ],
    "admin@consult.example.org": [
        "/admin/",
        "/admin/users",
        "/admin/organisations",
        "/admin/audit",
        "/admin/audit?what=reviews&since=01/01/2026",
        "/admin/consultations",
        "/admin/reference",
        "/admin/users/new",
        "/admin/delegations",
    ],
}


def _overflow(page) -> int:
    page.wait_for_load_state("load")
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


CULPRITS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !(el.parentElement.getBoundingClientRect().right > width + 1)) {
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(box.right));
    }
  }
  return out.slice(0, 5);
}"""


def _slug(path: str) -> str:
    """A file name for the page at ``path``: its end, so two steps of one form differ."""
    slug = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-").replace("&", "-")
    return slug[-60:] or "home"


@pytest.mark.parametrize("email", list(PAGES))
def test_no_page_scrolls_sideways_on_a_small_phone(app, live_server, browser, email):
    seed_demo_inputs()
    publish_demo_release()
    for staff in (
        "moderator.tn@consult.example.org",
        "hq@consult.example.org",
        "admin@consult.example.org",
    ):
        user_by_email(staff).totp_secret = factories.STAFF_TOTP_SECRET
    db.session.commit()
    forwarded = db.session.query(Input).filter(Input.delegation_slug == "eud-tn").first()
    consultation_id = forwarded.consultation_id
    replacements = {
        "{new_input}": f"/consultations/{consultation_id}/inputs/new",
        "{input_text}": f"/consultations/{consultation_id}/inputs/new?priority=ssr&main_country=TN",
        "{review}": f"/review/inputs/{forwarded.id}",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    for width, height in ((360, 740), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            sign_in(page, live_server, email, DEFAULT_DEMO_PASSWORD)
            for path in PAGES[email]:
                path = replacements.get(path, path)
                response = page.goto(f"{live_server.url}{path}")
                assert response.status < 400, (path, response.status)
                name = f"{email.split('@')[0]}-{_slug(path)}-{width}.png"
                page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
                if width == 360 and _overflow(page) > 0:
                    wide[path] = page.evaluate(CULPRITS)
        finally:
            context.close()
    assert wide == {}


def test_the_external_matrix_says_why_its_cells_are_small(app, live_server, page):
    seed_demo_inputs()
    publish_demo_release()
    user_by_email("hq@consult.example.org").totp_secret = factories.STAFF_TOTP_SECRET
    db.session.commit()
    sign_in(page, live_server, "hq@consult.example.org", DEFAULT_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/digest/?audience=external&consultation={DEMO_CONSULTATION_SLUG}")
    why = page.locator("#matrix-why")
    assert "never shows a group of fewer than 3 organisations" in why.inner_text()
    assert "region totals" in why.inner_text()
    # The sentence comes before the table it explains.
    assert page.evaluate(
        "document.querySelector('#matrix-why').compareDocumentPosition("
        "document.querySelector('table.matrix')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
