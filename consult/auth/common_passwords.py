"""The most common passwords, refused as new passwords.

The list ships with the code (``common_passwords.txt`` beside this module) so
no lookup leaves the server.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_LIST = Path(__file__).with_name("common_passwords.txt")


@cache
def _common() -> frozenset[str]:
    with _LIST.open(encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def is_common(password: str) -> bool:
    return password.strip().lower() in _common()
