"""The cursor of a keyset page of inputs: one opaque format for the queue and the API.

A cursor names the last row of a page by its timestamp and id; the next page
starts after it. :func:`decode_cursor` raises ``ValueError`` for anything
that is not a cursor; each caller says so its own way (a form error, a 400).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime


def encode_cursor(moment: datetime, item_id: uuid.UUID) -> str:
    raw = f"{moment.isoformat()}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """The (timestamp, id) of a cursor made by :func:`encode_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        moment, _, raw_id = text.partition("|")
        return datetime.fromisoformat(moment), uuid.UUID(raw_id)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValueError("not a cursor") from exc
