"""An input as plain JSON-ready values, under the names every format shares.

The returned-version snapshot, the API and the organisation's own export all
describe the same input. They differ in what they add (the API its review
state, the export its files, the snapshot the moderator's reviewed texts),
not in how they name what the CSO chose and wrote, so that part is built once
here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from consult.inputs.models import Input


def iso(moment: datetime | None) -> str | None:
    """A naive UTC timestamp as ISO 8601 to the second, with an explicit ``Z``."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def choices(item: Input) -> dict[str, Any]:
    """What the CSO chose for the input: where it belongs and how it may be named."""
    return {
        "priority": item.priority_slug,
        "countries": item.country_codes,
        "level": item.level_slug,
        "type": item.type_slug,
        "themes": [theme.slug for theme in item.themes],
        "language": item.language,
        "attribution": item.attribution,
        "is_hq_direct": item.is_hq_direct,
        "revision": item.revision,
    }


def texts(item: Input, *, reviewed: bool = False) -> dict[str, Any]:
    """The input's title, body and recommendations.

    ``reviewed`` gives the texts as the moderator corrected and redacted them
    (what staff and digests read); otherwise they are as the CSO wrote them.
    """
    return {
        "title": item.effective_title if reviewed else item.title,
        "body": item.effective_body if reviewed else item.body,
        "recommendations": [
            {
                "addressee": rec.addressee_slug,
                "text": rec.effective_text if reviewed else rec.text,
            }
            for rec in item.recommendations
        ],
    }


def as_written(item: Input) -> dict[str, Any]:
    """The input as the CSO chose and wrote it."""
    return {**choices(item), **texts(item)}
