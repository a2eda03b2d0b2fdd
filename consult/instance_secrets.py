"""Development's secrets: random, made once per instance, kept in instance/.

Outside production an empty ``SECRET_KEY``, ``TOTP_ENCRYPTION_KEYS`` or
``DIGEST_REFERENCE_KEY`` is filled from a file in instance/ (``secret_key``,
``totp_key``, ``digest_reference_key``), which is written the first time, at
random, with mode 0600. No key is a constant in the code, so a cookie signed on
one developer's machine opens nothing on another, and each secret stands alone:
none is derived from another. Production never gets here: it refuses to start
without its own keys (:mod:`consult.settings_check`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet
from flask import Flask

from consult.maintenance.modes import open_private, private_dir

#: Setting -> (file in instance/, how to make a new value).
SECRETS: dict[str, tuple[str, Callable[[], str]]] = {
    "SECRET_KEY": ("secret_key", lambda: secrets.token_hex(32)),
    "TOTP_ENCRYPTION_KEYS": ("totp_key", lambda: Fernet.generate_key().decode()),
    "DIGEST_REFERENCE_KEY": ("digest_reference_key", lambda: secrets.token_hex(32)),
}


def instance_secret(folder: Path, name: str, make: Callable[[], str]) -> str:
    """The secret kept in ``folder/name``, written (0600) with ``make()`` the first time."""
    path = folder / name
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    private_dir(folder)
    value = make()
    try:
        with open_private(path) as handle:
            handle.write(value.encode("ascii"))
    except FileExistsError:  # another process wrote it first: use theirs
        return path.read_text(encoding="ascii").strip()
    return value


def fill_instance_secrets(app: Flask) -> None:
    """Give each empty secret setting of a non-production app its instance's value."""
    if app.config.get("ENV_NAME") == "production":
        return
    folder = Path(app.instance_path)
    for setting, (name, make) in SECRETS.items():
        if not app.config.get(setting):
            app.config[setting] = instance_secret(folder, name, make)
