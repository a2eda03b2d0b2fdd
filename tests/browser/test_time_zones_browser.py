"""A Tunisian CSO reads a closing date in Tunis time with UTC beside it, and changes the zone.

Run with JavaScript on and off: nothing here needs a script.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_CONSULTATION_SLUG, seed_demo
from consult.extensions import db
from consult.inputs.models import Consultation
from tests.browser.conftest import CSO, click_and_wait, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_closing_date_in_the_users_zone_and_the_setting_changes_it(
    app, live_server, browser, javascript
):
    seed_demo()
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )
    consultation.closes_at = datetime(2030, 4, 30, 16, 0)  # 17:00 in Tunis, 19:00 in Kyiv
    db.session.commit()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, CSO, DEFAULT_DEMO_PASSWORD)
        page.goto(f"{live_server.url}/consultations/{consultation.id}")
        closes = page.locator("time[datetime='2030-04-30T16:00:00Z']").first
        assert closes.inner_text() == "30 Apr 2030 17:00 Tunis (16:00 UTC)"
        assert closes.get_attribute("title") == "30 Apr 2030 16:00 UTC"

        page.goto(f"{live_server.url}/auth/account")
        click_and_wait(page, "text=Change time zone")
        page.select_option("select[name=time_zone]", "Europe/Kyiv")
        click_and_wait(page, "main input[type=submit]")
        assert "Times are now shown in Europe/Kyiv." in page.content()

        page.goto(f"{live_server.url}/consultations/{consultation.id}")
        closes = page.locator("time[datetime='2030-04-30T16:00:00Z']").first
        assert closes.inner_text() == "30 Apr 2030 19:00 Kyiv (16:00 UTC)"
    finally:
        context.close()
