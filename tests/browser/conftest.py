"""Browser tests: the app served on a free localhost port, driven in Debian's chromium.

Marked ``browser``; they run with the rest of the suite (`make test` installs
chromium when missing).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from consult.auth.models import user_by_email
from consult.cli.demo import DEMO_CONSULTATION_SLUG, seed_demo
from consult.extensions import db
from consult.inputs.models import Consultation
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class LiveServer:
    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app, make_app) -> Iterator[LiveServer]:
    """The app (same database as ``app``) served over HTTP while the test runs."""
    served = make_app(WTF_CSRF_ENABLED=True)
    server = LiveServer(served)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def any_page(request, browser) -> Iterator:
    """A page with JavaScript on, then off: a journey taking it runs both ways."""
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def click_and_wait(page, selector: str) -> None:
    """Click something that loads a new page, and return once that page has loaded.

    ``page.click`` returns when the click is dispatched; reading ``page.content()``
    right after can catch the browser between two documents (an empty page).
    """
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


def sign_in(page, live_server: LiveServer, email: str, password: str) -> None:
    """Sign in through the form; when the page asks for a code, type the user's current one."""
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    click_and_wait(page, "main input[type=submit], main button[type=submit]")
    if "/auth/two-factor" in page.url and page.locator("input[name=code]").count():
        page.fill("input[name=code]", _unused_totp_code(email))
        page.click("main input[type=submit], main button[type=submit]")
        page.wait_for_load_state("load")


def _unused_totp_code(email: str) -> str:
    """A valid code of ``email``'s secret (from the database) that was not used yet.

    Codes of the current and the next 30-second step are accepted, each once,
    so a test signing the same person in again takes the next step's code,
    and waits for a new step only when both are used.
    """
    import time

    import pyotp
    from sqlalchemy import select

    from consult.auth.models import User, normalise_email
    from consult.auth.secretbox import open_token
    from consult.auth.totp import INTERVAL, current_step
    from consult.extensions import db

    db.session.commit()  # end the test's transaction: see what the server wrote
    stored, last_step = db.session.execute(
        select(User.totp_secret_token, User.totp_last_step).where(
            User.email == normalise_email(email)
        )
    ).one()
    secret = open_token(stored)  # the column holds the secret encrypted
    totp = pyotp.TOTP(secret, interval=INTERVAL)
    while True:
        now = current_step()
        for step in (now, now + 1):
            if last_step is None or step > last_step:
                return totp.generate_otp(step)
        time.sleep(INTERVAL - time.time() % INTERVAL + 0.1)


# The demo accounts the journeys sign in as, and what several journeys share.
MODERATOR = "moderator.tn@consult.example.org"
HQ = "hq@consult.example.org"
CSO = "cso.tn@consult.example.org"
EMAIL_IN_BODY = "amira.b@tfcs-mail.org"
#: The npm packages the tests use (axe-core, vnu-jar), installed by make into build/node/.
NODE_MODULES = Path(__file__).resolve().parents[2] / "build" / "node" / "node_modules"
#: Screenshots at 360 and 1280 px, kept under the git-ignored build/ folder.
LAYOUT_SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "layout"


def seed_review_inputs() -> dict:
    """The demo data, staff enrolled, and four inputs of the demo CSO waiting for review."""
    seed_demo()
    for email in (MODERATOR, HQ):
        user_by_email(email).totp_secret = factories.STAFF_TOTP_SECRET  # enrolled already
    db.session.commit()
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )
    cso = user_by_email(CSO)
    made = {
        "forward": factories.make_input(
            consultation,
            cso,
            title="Police-community forums in Kasserine",
            body=f"Monthly forums reduced tension. Write to {EMAIL_IN_BODY} for the minutes.",
        ),
        "return": factories.make_input(consultation, cso, title="Youth at the border"),
        "decline": factories.make_input(consultation, cso, title="Our annual gala"),
        "direct": factories.make_input(
            consultation, cso, title="Threats against our staff", hq_direct=True
        ),
    }
    return {key: item.id for key, item in made.items()}


def open_new_input_form(page, live_server, priority: str = "ssr", country: str = "TN") -> None:
    """From the consultations to the text step of a new input (step 1 answered)."""
    page.goto(f"{live_server.url}/consultations")
    click_and_wait(page, "text=Implementing the security dimension of the ENP")
    click_and_wait(page, "text=Write an input")
    assert "/inputs/new" in page.url
    page.select_option("select[name=priority]", priority)
    page.select_option("select[name=main_country]", country)
    click_and_wait(page, "main button[type=submit]")
    assert page.locator("textarea[name=body]").count() == 1


def review_and_send(page, button: str = "submit") -> None:
    """ "Review before sending", then the review page's own button ("submit", "resubmit")."""
    click_and_wait(page, "input[name=review]")
    assert page.locator("#review-routing").count() == 1, page.content()
    click_and_wait(page, f"input[name={button}]")
