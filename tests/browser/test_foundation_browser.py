"""Every demo account signs in in a real browser and lands on its own home page."""

from __future__ import annotations

import pytest

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_USERS, seed_demo
from consult.extensions import db
from tests.browser.conftest import click_and_wait, sign_in

pytestmark = pytest.mark.browser

HOMES = {"cso": "/my_inputs", "moderator": "/review/", "hq": "/digest/", "admin": "/admin/"}


def test_demo_accounts_land_on_their_home_pages(app, live_server, page):
    seed_demo()
    db.session.commit()
    for email, role, _where, _name in DEMO_USERS:
        sign_in(page, live_server, email, DEFAULT_DEMO_PASSWORD)
        assert page.url.startswith(live_server.url + HOMES[role]), (email, page.url)
        assert email in page.content()
        click_and_wait(page, "text=Sign out")
        assert "/auth/login" in page.url


def test_wrong_password_and_404_in_the_browser(app, live_server, page):
    seed_demo()
    db.session.commit()
    sign_in(page, live_server, "cso.tn@consult.example.org", "definitely-not-it-123")
    assert "do not match an active account" in page.content()
    assert page.input_value("input[name=email]") == "cso.tn@consult.example.org"
    response = page.goto(f"{live_server.url}/nothing/here")
    assert response.status == 404
    assert "Page not found" in page.content()
