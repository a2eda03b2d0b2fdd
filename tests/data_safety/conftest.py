"""Fixtures of the data-safety tests (retention, storage, crash safety, logs)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest


def filled_input_form(
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


def input_url_of(consultation: Any) -> str:
    return f"/consultations/{consultation.id}/inputs/new"


@pytest.fixture
def input_form():
    """``input_form(...)``: the fields of a complete input form."""
    return filled_input_form


@pytest.fixture
def new_input_url():
    """``new_input_url(consultation)``: the address of the new-input form."""
    return input_url_of
