"""Every page of the journeys, for each role, error pages included, is valid HTML.

The pages are rendered through the test client, written to a temporary folder,
and checked in one run of the Nu Html Checker (``vnu.jar`` from the npm package
``vnu-jar``, run with Debian's Java; ``make test`` installs both when missing).
The test fails listing each page's errors with their line numbers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from consult.audit.services import record
from consult.auth.models import user_by_email
from consult.cli.demo import DEMO_CONSULTATION_SLUG, publish_demo_release
from consult.cli.demo_inputs import seed_demo_inputs
from consult.extensions import db
from consult.inputs.models import Input
from tests import factories
from tests.browser.conftest import NODE_MODULES

pytestmark = pytest.mark.browser

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

CSO = "cso.tn@consult.example.org"
MODERATOR = "moderator.tn@consult.example.org"
HQ = "hq@consult.example.org"
ADMIN = "admin@consult.example.org"


def _pages(app, client, tmp_path: Path) -> dict[str, str]:
    """Each page of the journeys as ``{file name: what it shows}``, written to ``tmp_path``."""
    seed_demo_inputs()
    publish_demo_release()
    item = db.session.query(Input).filter(Input.delegation_slug == "eud-tn").first()
    consultation = item.consultation_id
    record("input.forwarded", user_by_email(MODERATOR), item)  # the log links to an input
    db.session.commit()
    written: dict[str, str] = {}

    def save(name: str, path: str, *, method: str = "get", data: dict | None = None) -> None:
        response = client.open(path, method=method.upper(), data=data, follow_redirects=True)
        # the page itself (a home page may lead on), not sign-in instead, nor a server error
        assert response.status_code in (200, 400, 404), (path, response.status_code)
        signing_in = response.request.path == "/auth/login"
        assert not signing_in or name.startswith(("login", "welcome")), (path, "signed out")
        assert response.mimetype == "text/html", (path, response.mimetype)
        file = tmp_path / f"{len(written):02d}-{name}.html"
        file.write_bytes(response.get_data())
        written[file.name] = path

    save("welcome", "/")
    save("login", "/auth/login")
    save("login-error", "/auth/login", method="post", data={"email": CSO, "password": "wrong"})
    save("not-found", "/no-such-page")

    journeys = {
        CSO: [
            ("cso-home", "/"),
            ("cso-inputs", "/my_inputs"),
            ("cso-consultations", "/consultations"),
            ("cso-consultation", f"/consultations/{consultation}"),
            ("cso-account", "/auth/account"),
            ("cso-time-zone", "/auth/account/time-zone"),
            ("cso-organisation-data", "/organisation/data"),
            ("cso-input-form", f"/consultations/{consultation}/inputs/new"),
        ],
        MODERATOR: [
            ("moderator-queue", "/review/queue"),
            ("moderator-review", f"/review/inputs/{item.id}"),
        ],
        HQ: [
            ("hq-queue", "/review/queue"),
            ("hq-digest", "/digest/"),
            (
                "hq-digest-internal",
                f"/digest/?consultation={DEMO_CONSULTATION_SLUG}&audience=internal",
            ),
            ("hq-digest-bad-date", "/digest/?audience=internal&since=31/02/2026"),
        ],
        ADMIN: [
            ("admin-home", "/admin/"),
            ("admin-users", "/admin/users"),
            ("admin-user", f"/admin/users/{user_by_email(CSO).id}"),
            ("admin-organisations", "/admin/organisations"),
            ("admin-delegations", "/admin/delegations"),
            ("admin-consultations", "/admin/consultations"),
            ("admin-consultation", f"/admin/consultations/{consultation}"),
            ("admin-reference", "/admin/reference"),
            ("admin-audit", "/admin/audit"),
            ("admin-audit-bad-filter", "/admin/audit?since=yesterday&what=reviews"),
        ],
    }
    for email, pages in journeys.items():
        factories.login(client, user_by_email(email))
        for name, path in pages:
            save(name, path)
        if email == CSO:
            save(
                "cso-input-form-errors",
                f"/consultations/{consultation}/inputs/new",
                method="post",
                data={"submit": "1"},
            )
        with client.session_transaction() as session:
            session.clear()
    return written


def _errors(report: dict, written: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in report.get("messages", []):
        if message.get("type") != "error":
            continue
        name = Path(message.get("url", "")).name
        line = message.get("lastLine", "?")
        found.setdefault(f"{name} ({written.get(name, '?')})", []).append(
            f"line {line}: {message.get('message')}"
        )
    return found


def test_the_pages_of_every_journey_are_valid_html(app, client, tmp_path):
    assert VNU.exists(), "the Nu Html Checker is missing: run make html-checker"
    java = shutil.which("java")
    assert java, "Java is missing: run make html-checker"
    written = _pages(app, client, tmp_path)
    files = sorted(str(tmp_path / name) for name in written)
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(checked.stderr or checked.stdout or "{}")
    errors = _errors(report, written)
    assert not errors, "\n".join(
        f"{page}:\n  " + "\n  ".join(lines) for page, lines in sorted(errors.items())
    )
