"""Helpers shared by the data-safety tests (retention, storage, crash safety, logs, escaping)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from PIL import Image


def png_bytes(colour: str = "red") -> bytes:
    """A tiny valid PNG (attachments are type-checked from their content)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def input_form(
    *,
    title: str = "Community policing works",
    body: str = "Joint forums between police and residents reduce tension.",
    recommendation: str = "Fund joint community forums.",
    country: str = "TN",
    token: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The fields of the input form, as a browser submits them with "Submit input"."""
    data: dict[str, Any] = {
        "form_token": token or uuid.uuid4().hex,
        "upload_key": uuid.uuid4().hex,
        "priority": "ssr",
        "main_country": country,
        "level": "national",
        "input_type": "context-analysis",
        "title": title,
        "body": body,
        "recommendations-0-addressee": "eu",
        "recommendations-0-text": recommendation,
        "language": "en",
        "attribution": "non-attributable",
        "submit": "Submit input",
    }
    data.update(extra)
    return data


def new_input_url(consultation: Any) -> str:
    return f"/consultations/{consultation.id}/inputs/new"
