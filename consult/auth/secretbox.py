"""Encryption of two-factor (TOTP) secrets at rest and in the session cookie.

A TOTP secret is as good as the second factor itself, so the database holds
it only as a Fernet token (AES-128-CBC with an HMAC-SHA256 tag), and the
candidate secret of an enrolment travels in the (signed, readable) session
cookie the same way.

Keys come from ``TOTP_ENCRYPTION_KEYS``: comma-separated Fernet keys, the
first encrypts and every one decrypts, so a key is rotated by putting a new
one first and running ``flask --app consult rotate-totp-key``. Production
refuses to start without them (:mod:`consult.settings_check`); development
makes its own, once, in instance/ (:mod:`consult.instance_secrets`). The key is
a secret of its own, never derived from ``SECRET_KEY``.

A stored value that is a bare base32 secret (from before encryption) is still
read as it is; it never looks like a Fernet token, which always starts with
``gAAAAA`` and holds lower-case letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

SETTING = "TOTP_ENCRYPTION_KEYS"
_LEGACY_SECRET = re.compile(r"[A-Z2-7]+=*")


class SecretBoxError(RuntimeError):
    """A stored secret that no configured key opens (wrong or missing key)."""


def parse_keys(value: str | None) -> list[str]:
    """The keys of a ``TOTP_ENCRYPTION_KEYS`` value, blanks dropped."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def invalid_keys(keys: list[str]) -> list[int]:
    """The 1-based positions of the keys that are not valid Fernet keys."""
    bad = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            bad.append(position)
    return bad


@lru_cache(maxsize=8)
def _box(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _configured_keys() -> tuple[str, ...]:
    config = current_app.config
    keys = parse_keys(config.get(SETTING))
    if not keys:
        # Production refuses to start without keys, development makes its own:
        # never fall back to anything here.
        raise SecretBoxError(f"{SETTING} is not set.")
    return tuple(keys)


def _current_box() -> MultiFernet:
    return _box(_configured_keys())


def is_legacy(stored: str) -> bool:
    """Whether ``stored`` is a plain base32 secret from before encryption."""
    return bool(_LEGACY_SECRET.fullmatch(stored))


def seal(secret: str) -> str:
    """Encrypt ``secret`` with the first key; the token is ASCII, under 255 characters."""
    return _current_box().encrypt(secret.encode()).decode()


def open_token(stored: str, *, ttl: int | None = None) -> str:
    """The plain secret of a stored value (a token, or a legacy plain secret).

    Raises :class:`SecretBoxError` when no configured key opens the token (or
    it is older than ``ttl`` seconds).
    """
    if is_legacy(stored):
        return stored
    try:
        return _current_box().decrypt(stored.encode(), ttl=ttl).decode()
    except InvalidToken as exc:
        raise SecretBoxError(
            f"A two-factor secret cannot be decrypted with any key in {SETTING}."
        ) from exc


def needs_reseal(stored: str) -> bool:
    """Whether ``stored`` is plain text or was encrypted with a key other than the first."""
    if is_legacy(stored):
        return True
    try:
        Fernet(_configured_keys()[0]).decrypt(stored.encode())
    except InvalidToken:
        return True
    return False


def reseal(stored: str) -> str:
    """``stored`` encrypted with the first key (legacy plain secrets included)."""
    if is_legacy(stored):
        return seal(stored)
    try:
        return _current_box().rotate(stored.encode()).decode()
    except InvalidToken as exc:
        raise SecretBoxError(
            f"A two-factor secret cannot be decrypted with any key in {SETTING}."
        ) from exc
