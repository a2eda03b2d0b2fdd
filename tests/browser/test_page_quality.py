"""Every page of the journeys, for each role, error states included, passes the checks people
rely on without seeing them:

- axe-core (the npm package, installed by ``make test`` into ``build/node/``) finds no
  violation of impact serious or critical;
- the page with its assets weighs at most 60 KB, in at most 5 requests, all to our origin
  (measured from the browser's own network log);
- the browser reports no Content-Security-Policy violation and no script error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from consult.auth.models import user_by_email
from consult.cli.demo import DEFAULT_DEMO_PASSWORD, DEMO_CONSULTATION_SLUG, publish_demo_release
from consult.cli.demo_inputs import seed_demo_inputs
from consult.extensions import db
from consult.inputs.models import Input
from tests import factories
from tests.browser.conftest import NODE_MODULES, click_and_wait, sign_in

pytestmark = pytest.mark.browser

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
MAX_BYTES = 60 * 1024
MAX_REQUESTS = 5

STAFF = ("moderator.tn@consult.example.org", "hq@consult.example.org", "admin@consult.example.org")


class Watch:
    """What the browser fetched and said while one page loaded."""

    def __init__(self, page) -> None:
        self.responses: list = []
        self.console: list[str] = []
        page.on("response", lambda response: self.responses.append(response))
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def reset(self) -> None:
        self.responses.clear()
        self.console.clear()

    def weight(self) -> int:
        total = 0
        for response in self.responses:
            try:
                total += len(response.body())
            except Exception:  # a redirect has no body
                total += 0
        return total


def _problems(page, watch: Watch, origin: str, *, axe: bool) -> list[str]:
    page.wait_for_load_state("load")
    found = []
    weight = watch.weight()
    if weight > MAX_BYTES:
        found.append(f"weighs {weight} bytes")
    if len(watch.responses) > MAX_REQUESTS:
        found.append(f"{len(watch.responses)} requests")
    others = {urlsplit(r.url).netloc for r in watch.responses} - {urlsplit(origin).netloc}
    if others:
        found.append(f"other origins {sorted(others)}")
    csp = [m for m in watch.console if "Content Security Policy" in m or "page error" in m]
    if csp:
        found.append(f"console: {csp}")
    if not axe:
        return found  # axe-core is a script: it runs in the journey with JavaScript on
    page.evaluate(AXE.read_text())  # evaluated by the browser's devtools: not a page script
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    found.extend(f"axe {line}" for line in result)
    return found


def _visit(page, watch: Watch, url: str) -> None:
    watch.reset()
    response = page.goto(url)
    assert response is not None and response.status < 500, url


@pytest.fixture
def demo(app):
    seed_demo_inputs()
    publish_demo_release()
    for email in STAFF:
        user_by_email(email).totp_secret = factories.STAFF_TOTP_SECRET
    db.session.commit()
    item = db.session.query(Input).filter(Input.delegation_slug == "eud-tn").first()
    return {"consultation": item.consultation_id, "review": item.id}


def _journey(page, watch: Watch, live_server, demo, javascript: bool) -> dict[str, list[str]]:
    base = live_server.url
    report: dict[str, list[str]] = {}

    def check(name: str) -> None:
        report[name] = _problems(page, watch, base, axe=javascript)

    _visit(page, watch, f"{base}/auth/login")
    check("sign-in")
    page.fill("input[name=email]", "cso.tn@consult.example.org")
    page.fill("input[name=password]", "not the password")
    watch.reset()
    click_and_wait(page, "main button[type=submit], main input[type=submit]")
    check("sign-in, wrong password")

    sign_in(page, live_server, "cso.tn@consult.example.org", DEFAULT_DEMO_PASSWORD)
    for path in ("/my_inputs", "/consultations", "/auth/account", "/organisation/data"):
        _visit(page, watch, base + path)
        check(path)
    _visit(page, watch, f"{base}/consultations/{demo['consultation']}/inputs/new")
    check("input form, step 1")
    watch.reset()
    click_and_wait(page, "main button[type=submit]")
    check("input form, step 1 with errors")
    page.select_option("select[name=priority]", "ssr")
    page.select_option("select[name=main_country]", "TN")
    watch.reset()
    click_and_wait(page, "main button[type=submit]")
    check("input form, the text")
    watch.reset()
    click_and_wait(page, "input[name=review]")
    check("input form with errors")
    page.select_option("select[name=level]", "local")
    page.select_option("select[name=input_type]", "good-practice")
    page.fill("input[name=title]", "Youth councils in Sfax")
    page.fill("textarea[name=body]", "Youth councils meet the police every month.")
    page.fill("textarea[name='recommendations-0-text']", "Fund the councils.")
    watch.reset()
    click_and_wait(page, "input[name=review]")
    check("input form, the review before sending")
    click_and_wait(page, "text=Sign out")

    for email, paths in (
        ("moderator.tn@consult.example.org", ["/review/queue", f"/review/inputs/{demo['review']}"]),
        (
            "hq@consult.example.org",
            [
                "/review/queue",
                "/review/forwarded",
                "/digest/",
                f"/digest/?audience=external&consultation={DEMO_CONSULTATION_SLUG}",
            ],
        ),
        (
            "admin@consult.example.org",
            ["/admin/", "/admin/users", "/admin/organisations", "/admin/audit", "/admin/users/new"],
        ),
    ):
        sign_in(page, live_server, email, DEFAULT_DEMO_PASSWORD)
        for path in paths:
            _visit(page, watch, base + path)
            check(f"{email.split('@')[0]} {path}")
        click_and_wait(page, "text=Sign out")
    return {name: found for name, found in report.items() if found}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_journey_pages_are_accessible_light_and_keep_to_our_origin(
    app, live_server, browser, demo, javascript
):
    assert AXE.exists(), "run `make test` (it installs axe-core into build/node/)"
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(page)
    try:
        assert _journey(page, watch, live_server, demo, javascript) == {}
    finally:
        context.close()
