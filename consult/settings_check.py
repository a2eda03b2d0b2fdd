"""Refuse to start production with settings that would put users at risk."""

from __future__ import annotations

import os

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


def check_settings(app: Flask) -> None:
    """Exit with a one-line explanation when production settings are unsafe."""
    if app.config.get("ENV_NAME") != "production":
        return
    key = app.config.get("SECRET_KEY")
    if not key:
        raise SystemExit(
            "consult: SECRET_KEY is not set; production needs a random secret "
            '(e.g. python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if key in KNOWN_INSECURE_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        raise SystemExit(
            f"consult: SECRET_KEY is a default or shorter than {MIN_SECRET_KEY_LENGTH} "
            "characters; set a long random secret."
        )
    # ``flask run`` turns debug on from FLASK_DEBUG (or --debug) only after the app
    # is built, so the environment is checked too: the debugger runs any code.
    env_debug = os.environ.get("FLASK_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    if app.config.get("DEBUG") or env_debug:
        raise SystemExit("consult: DEBUG must be off in production (unset FLASK_DEBUG).")
    _check_totp_keys(app)


def _check_totp_keys(app: Flask) -> None:
    """Two-factor secrets are encrypted at rest: production needs real keys."""
    keys = parse_keys(app.config.get("TOTP_ENCRYPTION_KEYS"))
    if not keys:
        raise SystemExit(
            "consult: TOTP_ENCRYPTION_KEYS is not set; production needs a Fernet key "
            '(python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())").'
        )
    bad = invalid_keys(keys)
    if bad:
        raise SystemExit(
            f"consult: TOTP_ENCRYPTION_KEYS key {', '.join(map(str, bad))} is not a valid "
            "Fernet key (32 url-safe base64-encoded bytes); keys are comma-separated."
        )
