"""Two-factor enrolment in a real browser, under the strict CSP."""

from __future__ import annotations

import pyotp
import pytest

from consult.auth.models import User
from consult.extensions import db
from tests import factories
from tests.browser.conftest import click_and_wait, sign_in

pytestmark = pytest.mark.browser


def test_staff_enrol_with_the_qr_code_page_and_sign_in_again(app, live_server, page):
    user = factories.make_user("first.admin@consult.example.org", "admin", totp_secret="")
    blocked = []
    page.on(
        "console", lambda msg: blocked.append(msg.text) if "Content Security" in msg.text else None
    )
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    click_and_wait(page, "input[type=submit]")
    assert page.url.endswith("/auth/two-factor/setup")
    qr = page.locator(".totp-qr img")
    # the inline SVG QR code is allowed by the CSP and really drawn
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
    secret = page.locator(".totp-secret code").inner_text().replace(" ", "")
    page.goto(f"{live_server.url}/admin/")
    assert page.url.endswith("/auth/two-factor/setup")  # nothing else before enrolling
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    click_and_wait(page, "input[type=submit]")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    click_and_wait(page, "text=I have saved them, continue")
    assert page.url.rstrip("/").endswith("/admin")
    assert blocked == []

    click_and_wait(page, "button:has-text('Sign out')")
    sign_in(page, live_server, user.email, factories.PASSWORD)  # types an unused code
    assert page.url.rstrip("/").endswith("/admin")
    db.session.commit()
    assert db.session.get(User, user.id).totp_secret == secret
