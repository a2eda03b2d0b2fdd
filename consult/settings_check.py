"""Refuse to start production with settings that would put users at risk.

Production fails closed: without its own secret key, TOTP keys and digest
reference key, a DATABASE_URL, Redis for rate limits, sessions and the job
queue, and a chosen file storage, the app does not start. A production WSGI
server (gunicorn, uWSGI, mod_wsgi) never serves the development or testing
settings.
"""

from __future__ import annotations

import os
import sys

from flask import Flask

from consult.auth.secretbox import invalid_keys, parse_keys

#: Keys that ship in this repository and must never protect real sessions.
KNOWN_INSECURE_KEYS = {
    "dev-only-insecure-key-change-me",
    "testing-secret-key-not-for-production-use",
    "change-me",
    "secret",
}
MIN_SECRET_KEY_LENGTH = 32
#: Modules only a production WSGI server loads.
WSGI_SERVER_MODULES = ("gunicorn.app.base", "uwsgi", "mod_wsgi")
REDIS_SCHEMES = ("redis://", "rediss://", "redis+sentinel://", "redis+cluster://", "unix://")


def wsgi_server() -> str | None:
    """The production WSGI server running this process, if any."""
    for name in WSGI_SERVER_MODULES:
        if name in sys.modules:
            return name.split(".", 1)[0]
    return None


def startup_error(message: str) -> SystemExit:
    """The exit that stops the app from starting, with ``message`` on stderr.

    Under gunicorn, a worker that exits with status 3 (a boot error) stops the
    whole server instead of being started again and again.
    """
    if wsgi_server() == "gunicorn":
        print(message, file=sys.stderr, flush=True)
        return SystemExit(3)
    return SystemExit(message)


def refuse_development_under_wsgi_server(app: Flask) -> None:
    """gunicorn & co. serve production settings only (``CONSULT_ENV=production``)."""
    server = wsgi_server()
    if server and app.config.get("ENV_NAME") != "production":
        raise startup_error(
            f"consult: {server} serves production only; set CONSULT_ENV=production "
            f"(CONSULT_ENV is {app.config.get('ENV_NAME')!r}) and the production settings, "
            "or use `make serve-prod` (entry point consult.wsgi:app)."
        )


def check_storage_setting(app: Flask) -> None:
    """``CONSULT_STORAGE`` names a backend, and large objects need PostgreSQL (any settings)."""
    backend = app.config.get("STORAGE_BACKEND") or "local"
    if backend not in ("local", "postgresql"):
        raise startup_error(
            f"consult: CONSULT_STORAGE={backend!r} is not a storage backend; valid values: "
            "local (files on this machine), postgresql (large objects, shared by every server)."
        )
    uri = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    if backend == "postgresql" and not uri.startswith("postgresql"):
        raise startup_error(
            "consult: CONSULT_STORAGE=postgresql keeps files as large objects in the database, "
            "which must then be PostgreSQL (DATABASE_URL=postgresql://...)."
        )


def check_settings(app: Flask) -> None:
    """Exit with a one-line explanation when production settings are unsafe."""
    if app.config.get("ENV_NAME") != "production":
        return
    key = app.config.get("SECRET_KEY")
    if not key:
        raise startup_error(
            "consult: SECRET_KEY is not set; production needs a random secret "
            '(e.g. python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if key in KNOWN_INSECURE_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        raise startup_error(
            f"consult: SECRET_KEY is a default or shorter than {MIN_SECRET_KEY_LENGTH} "
            "characters; set a long random secret."
        )
    # ``flask run`` turns debug on from FLASK_DEBUG (or --debug) only after the app
    # is built, so the environment is checked too: the debugger runs any code.
    env_debug = os.environ.get("FLASK_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    if app.config.get("DEBUG") or env_debug:
        raise startup_error("consult: DEBUG must be off in production (unset FLASK_DEBUG).")
    _check_totp_keys(app)
    _check_digest_reference_key(app)
    _check_database(app)
    _check_redis(app)
    _check_storage_chosen(app)


def _check_digest_reference_key(app: Flask) -> None:
    key = app.config.get("DIGEST_REFERENCE_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or key in KNOWN_INSECURE_KEYS:
        raise startup_error(
            "consult: DIGEST_REFERENCE_KEY is not set or shorter than "
            f"{MIN_SECRET_KEY_LENGTH} characters; production needs a random secret of its own "
            '(python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if key == app.config.get("SECRET_KEY"):
        raise startup_error("consult: DIGEST_REFERENCE_KEY must differ from SECRET_KEY.")


def _check_database(app: Flask) -> None:
    from config import DEFAULT_DATABASE_URL, database_url

    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if not uri or uri == database_url(DEFAULT_DATABASE_URL):
        raise startup_error(
            "consult: DATABASE_URL is not set; production needs its database named "
            "(e.g. postgresql://consult@db.internal/consult)."
        )


def _check_redis(app: Flask) -> None:
    """Rate limits, sessions and the job queue are shared by every server and survive restarts.

    Without a job queue a digest of a million inputs would be made inside a
    request, which the server's timeout cuts off.
    """
    for setting, name, what in (
        ("RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI", "rate limits are"),
        ("SESSION_REDIS_URL", "SESSION_REDIS_URL", "sessions are"),
        ("JOBS_REDIS_URL", "CONSULT_JOBS_REDIS_URL", "the job queue is"),
    ):
        value = str(app.config.get(setting) or "")
        if not value.startswith(REDIS_SCHEMES):
            raise startup_error(
                f"consult: {name} must name a Redis server in production ({what} "
                f"shared by every worker), e.g. redis://127.0.0.1:6379/0."
            )


def _check_storage_chosen(app: Flask) -> None:
    """Where files live is a deployment's choice, never a default it did not notice.

    Several app servers need storage they all share; a single machine may keep
    its folder.
    """
    if not app.config.get("STORAGE_BACKEND"):
        raise startup_error(
            "consult: CONSULT_STORAGE is not set; choose postgresql (files in the database, "
            "shared by every app server and the worker: needed with more than one server) "
            "or local (one machine only, folders CONSULT_UPLOAD_DIR and CONSULT_JOB_FILES_DIR)."
        )


def _check_totp_keys(app: Flask) -> None:
    """Two-factor secrets are encrypted at rest: production needs real keys."""
    keys = parse_keys(app.config.get("TOTP_ENCRYPTION_KEYS"))
    if not keys:
        raise startup_error(
            "consult: TOTP_ENCRYPTION_KEYS is not set; production needs a Fernet key "
            '(python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())").'
        )
    if app.config.get("SECRET_KEY") in keys:
        raise startup_error("consult: TOTP_ENCRYPTION_KEYS must not reuse SECRET_KEY.")
    bad = invalid_keys(keys)
    if bad:
        raise startup_error(
            f"consult: TOTP_ENCRYPTION_KEYS key {', '.join(map(str, bad))} is not a valid "
            "Fernet key (32 url-safe base64-encoded bytes); keys are comma-separated."
        )
