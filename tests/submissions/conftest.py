"""Fixtures and helpers of the submissions tests: a signed-in CSO and a filled-in input form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Input

TOKEN = "tok-" + "a" * 30
UPLOAD_KEY = "upl-" + "b" * 30


def payload(**overrides) -> dict:
    data = {
        "form_token": TOKEN,
        "upload_key": UPLOAD_KEY,
        "priority": "ssr",
        "main_country": "TN",
        "other_countries": ["LB"],
        "level": "national",
        "input_type": "context-analysis",
        "title": "Community policing in Kasserine",
        "body": "Joint forums between police and residents reduced tension.",
        "recommendations-0-addressee": "eu",
        "recommendations-0-text": "Fund joint community forums.",
        "recommendations-1-addressee": "partner-government",
        "recommendations-1-text": "Publish police complaint statistics.",
        "themes": ["community-security", "youth"],
        "language": "en",
        "attribution": "non-attributable",
        "submit": "Submit input",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def new_url(consultation) -> str:
    return f"/consultations/{consultation.id}/inputs/new"


def text_url(consultation, priority: str = "ssr", country: str = "TN") -> str:
    """The form's second step (the text), once step 1 chose a priority and a country."""
    return f"{new_url(consultation)}?priority={priority}&main_country={country}"


def count_inputs() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Input))


@pytest.fixture
def cso(client, cso_user, login):
    login(client, cso_user)
    return client
