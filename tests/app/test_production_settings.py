"""Production fails closed; development's secrets are random per instance, never constants."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from config import BASE_DIR
from consult import create_app
from tests import factories

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
#: The key development used to sign cookies with, before keys were made per instance.
OLD_DEVELOPMENT_KEY = "dev-only-insecure-key-change-me"


def _production(**overrides):
    return create_app(
        factories.production_settings(**{"SQLALCHEMY_DATABASE_URI": "sqlite://", **overrides})
    )


def _refusal(**overrides) -> str:
    with pytest.raises(SystemExit) as exc:
        _production(**overrides)
    message = str(exc.value)
    assert "\n" not in message
    return message


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


def test_complete_production_settings_start():
    assert _production().config["ENV_NAME"] == "production"


def test_production_needs_a_database_url():
    from config import DEFAULT_DATABASE_URL

    assert "DATABASE_URL" in _refusal(SQLALCHEMY_DATABASE_URI=DEFAULT_DATABASE_URL)


@pytest.mark.parametrize("value", ["", "memory://"])
def test_production_needs_redis_for_rate_limits(value):
    assert "RATELIMIT_STORAGE_URI" in _refusal(RATELIMIT_STORAGE_URI=value)


def test_production_needs_redis_for_sessions():
    assert "SESSION_REDIS_URL" in _refusal(SESSION_REDIS_URL="")


def test_production_needs_a_job_queue():
    message = _refusal(JOBS_REDIS_URL="")
    assert "CONSULT_JOBS_REDIS_URL must name a Redis server" in message


@pytest.mark.parametrize("backend", ["local", "postgresql"])
def test_production_needs_the_file_storage_chosen(backend):
    message = _refusal(STORAGE_BACKEND="")
    assert "CONSULT_STORAGE is not set; choose postgresql" in message
    uri = "postgresql://consult@db.internal/consult" if backend == "postgresql" else "sqlite://"
    app = _production(STORAGE_BACKEND=backend, SQLALCHEMY_DATABASE_URI=uri)
    assert app.config["STORAGE_BACKEND"] == backend


def test_production_needs_a_digest_reference_key_of_its_own():
    assert "DIGEST_REFERENCE_KEY" in _refusal(DIGEST_REFERENCE_KEY="")
    key = "s" * 64
    assert "differ from SECRET_KEY" in _refusal(SECRET_KEY=key, DIGEST_REFERENCE_KEY=key)


def _run(command: list[str], env: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONSULT_", "FLASK_"))}
    for name in ("SECRET_KEY", "TOTP_ENCRYPTION_KEYS", "DIGEST_REFERENCE_KEY", "DATABASE_URL"):
        clean.pop(name, None)
    clean.pop("SESSION_REDIS_URL", None)
    clean.pop("RATELIMIT_STORAGE_URI", None)
    return subprocess.run(
        command,
        env={**clean, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_wsgi_entry_point_refuses_incomplete_settings(tmp_path):
    done = _run(
        [sys.executable, "-c", "import consult.wsgi"],
        {"SECRET_KEY": "x" * 64, "CONSULT_INSTANCE_DIR": str(tmp_path)},
    )
    assert done.returncode != 0
    assert "consult: TOTP_ENCRYPTION_KEYS is not set" in done.stderr


def test_the_wsgi_entry_point_is_production_whatever_consult_env_says(tmp_path):
    done = _run(
        [sys.executable, "-c", "import consult.wsgi"],
        {"CONSULT_ENV": "development", "CONSULT_INSTANCE_DIR": str(tmp_path)},
    )
    assert done.returncode != 0 and "consult: SECRET_KEY is not set" in done.stderr


@pytest.mark.parametrize(
    ("target", "env", "message"),
    [
        ("consult.wsgi:app", {}, "SECRET_KEY is not set"),
        # The old serve-prod: gunicorn on the development settings.
        ("consult:create_app()", {}, "gunicorn serves production only"),
        ("consult:create_app()", {"CONSULT_ENV": "testing"}, "gunicorn serves production only"),
    ],
)
def test_gunicorn_refuses_to_start(tmp_path, target, env, message):
    done = _run(
        [GUNICORN, "--workers", "1", "--bind", "127.0.0.1:0", target],
        {**env, "CONSULT_INSTANCE_DIR": str(tmp_path)},
    )
    assert done.returncode != 0
    assert message in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_with_complete_settings(tmp_path):
    settings = factories.production_settings()
    env = {
        key: settings[key]
        for key in (
            "SECRET_KEY",
            "TOTP_ENCRYPTION_KEYS",
            "DIGEST_REFERENCE_KEY",
            "SESSION_REDIS_URL",
            "RATELIMIT_STORAGE_URI",
        )
    }
    env["CONSULT_JOBS_REDIS_URL"] = settings["JOBS_REDIS_URL"]
    env["CONSULT_STORAGE"] = "local"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite'}"
    env["CONSULT_INSTANCE_DIR"] = str(tmp_path)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CONSULT_", "FLASK_"))}
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "--workers", "1", "--bind", f"127.0.0.1:{port}", "consult.wsgi:app"],
        env={**clean, **env},
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 120  # a loaded machine boots slowly
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    answer = r.status
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.25)
        assert answer is not None, server.stderr.read() if server.poll() is not None else ""
        assert answer in (200, 503)  # up (503: its fresh database has no tables yet)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- development: secrets random per instance, written once, private -----------------


def _development(instance: Path, **overrides):
    return create_app(
        {
            "ENV_NAME": "development",
            "INSTANCE_DIR": str(instance),
            "UPLOAD_DIR": str(instance / "uploads"),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": None,
            "TOTP_ENCRYPTION_KEYS": "",
            "DIGEST_REFERENCE_KEY": "",
            **overrides,
        }
    )


def test_development_keys_are_random_per_instance_and_written_once(tmp_path):
    first = _development(tmp_path / "a")
    again = _development(tmp_path / "a")
    other = _development(tmp_path / "b")
    keys = ("SECRET_KEY", "TOTP_ENCRYPTION_KEYS", "DIGEST_REFERENCE_KEY")
    for key in keys:
        assert first.config[key] and first.config[key] == again.config[key]
        assert first.config[key] != other.config[key]
    assert len({first.config[key] for key in keys}) == 3  # three separate secrets
    for name in ("secret_key", "totp_key", "digest_reference_key"):
        path = tmp_path / "a" / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert first.config["SECRET_KEY"] != OLD_DEVELOPMENT_KEY


def test_a_cookie_signed_with_the_old_development_key_opens_nothing(tmp_path, app, admin_user):
    dev = _development(
        tmp_path / "dev", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    forger = SecureCookieSessionInterface()
    signer = forger.get_signing_serializer(
        type("Old", (), {"secret_key": OLD_DEVELOPMENT_KEY, "config": dev.config})()
    )
    from consult.auth.session import fresh_session_values

    # What the review did: the admin's id, fresh timestamps, signed with the old constant.
    forged = signer.dumps(
        {"_user_id": admin_user.get_id(), "_fresh": True, **fresh_session_values()}
    )
    client = dev.test_client()
    client.set_cookie("session", forged)
    with dev.app_context():
        response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
