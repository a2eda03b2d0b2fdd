"""The CI audit (.ci/audit-deps) fails on a known-vulnerable pinned version, and says
loudly when the advisory data could not be reached (nothing audited is not a pass)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from config import BASE_DIR

SCRIPT = BASE_DIR / ".ci" / "audit-deps"


def _fake_pip_audit(tmp_path: Path, report: dict | None, stderr: str = "") -> Path:
    """A stand-in for pip-audit that prints ``report`` and records its arguments."""
    fake = tmp_path / "pip-audit"
    body = json.dumps(report) if report is not None else ""
    fake.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > {tmp_path / "args"}\n'
        f"cat <<'EOF'\n{body}\nEOF\n"
        f"echo '{stderr}' >&2\n"
        f"exit {1 if report and any(d.get('vulns') for d in report['dependencies']) else 0}\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return fake


def _audit(fake: Path, *locks: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *locks],
        env={**os.environ, "PIP_AUDIT": str(fake)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_known_vulnerable_pin_fails(tmp_path):
    report = {
        "dependencies": [
            {"name": "flask", "version": "3.1.1", "vulns": []},
            {
                "name": "jinja2",
                "version": "2.10",
                "vulns": [{"id": "GHSA-462w-v97r-4m45", "fix_versions": ["2.10.1"]}],
            },
        ]
    }
    done = _audit(_fake_pip_audit(tmp_path, report), "requirements.lock")
    assert done.returncode == 1
    assert "jinja2 2.10: GHSA-462w-v97r-4m45 (fixed in: 2.10.1)" in done.stdout


def test_the_lock_files_are_audited_without_installing(tmp_path):
    report = {"dependencies": [{"name": "flask", "version": "3.1.1", "vulns": []}]}
    done = _audit(_fake_pip_audit(tmp_path, report))
    assert done.returncode == 0 and "no known vulnerabilities" in done.stdout
    args = (tmp_path / "args").read_text().split()
    assert "--disable-pip" in args
    assert str(BASE_DIR / "requirements.lock") in args
    assert str(BASE_DIR / "requirements-dev.lock") in args


def test_unreachable_advisory_data_is_reported_not_passed_silently(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "flask",
                "skip_reason": "Dependency not found on PyPI and could not be audited",
            }
        ]
    }
    done = _audit(_fake_pip_audit(tmp_path, report))
    assert done.returncode == 0
    assert "WARNING: none of 1 dependencies could be audited" in done.stdout


def test_the_lock_files_pin_every_package_with_hashes():
    for name in ("requirements.lock", "requirements-dev.lock"):
        lines = (BASE_DIR / name).read_text().splitlines()
        pins = [
            line for line in lines if line and not line[0].isspace() and not line.startswith("#")
        ]
        assert pins, name
        for pin in pins:
            assert "==" in pin and pin.rstrip().endswith("\\"), pin  # a hash follows
        assert any(line.strip().startswith("--hash=sha256:") for line in lines)
    dev = (BASE_DIR / "requirements-dev.lock").read_text()
    assert "\nflask-session==" in dev and "\npytest==" in dev


def test_the_environment_is_installed_from_the_lock_file():
    """make installs exactly the pinned versions (a drift means it did not use the lock)."""
    from importlib.metadata import PackageNotFoundError, version

    pins = {}
    for line in (BASE_DIR / "requirements-dev.lock").read_text().splitlines():
        if "==" in line and not line[0].isspace() and not line.startswith("#"):
            name, _, rest = line.partition("==")
            pins[name.strip()] = rest.split()[0]
    wrong = {}
    for name, pinned in pins.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, wrong
