"""Time helpers.

Timestamps are stored as naive UTC everywhere: SQLite keeps no time zone, and
one convention on both databases avoids comparing aware with naive values.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as a naive UTC datetime."""
    return datetime.now(UTC).replace(tzinfo=None)
