"""Digest writers, one module per format; each takes a Digest and yields bytes.

The modules are imported when a format is asked for: a CSV download does not
load matplotlib or python-docx.
"""

from __future__ import annotations

from typing import Any

#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
