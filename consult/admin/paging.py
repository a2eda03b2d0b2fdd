"""Keyset pages of the administration lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 100


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None
