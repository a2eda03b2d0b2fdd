"""Fixtures of the digest tests: organisations, people and inputs with known identifiers."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from consult.extensions import db
from consult.inputs.states import Attribution, Status
from tests import factories

FORWARDED = Status.FORWARDED

# Identifiers a moderator did not catch, planted in reviewed text.
PLANTED = [
    "leak@hidden-voices.example.org",
    "+216 71 555 123",
    "https://hidden-voices.example.org/report",
    "www.whistle-tn.org",
]


@dataclass
class DigestData:
    consultation: object
    other_consultation: object
    hidden_org: object
    named_org: object
    lone_org: object
    eu_only_org: object
    inputs: dict = field(default_factory=dict)
    secret_identifiers: list[str] = field(default_factory=list)


def _forwarded(consultation, author, *, when: datetime | None = None, **kwargs):
    item = factories.make_input(consultation, author, status=FORWARDED, **kwargs)
    if when is not None:
        item.forwarded_at = when
        db.session.commit()
    return item


def build_digest_data() -> DigestData:
    """Forwarded inputs from five organisations, with identifiers to hunt for.

    * (ssr, TN) has three organisations: shown with its count;
    * (ssr, AM) has one: "fewer than 3", reported at region level;
    * one EU-staff-only input, one merged duplicate, one input still in review.
    """
    consultation = factories.make_consultation("enp-2026", title="ENP security 2026")
    other = factories.make_consultation("enp-2025", title="ENP security 2025")
    hidden = factories.make_organisation(
        "Hidden Voices Network", ["TN"], email="secret@hidden-voices.example.org"
    )
    named = factories.make_organisation(
        "Open Dialogue Centre", ["TN"], email="info@open-dialogue.example.org"
    )
    third = factories.make_organisation(
        "Sfax Neighbourhood Watch", ["TN"], email="desk@sfax-watch.example.org"
    )
    lone = factories.make_organisation(
        "Yerevan Lone Observatory", ["AM"], email="obs@yerevan-lone.example.org"
    )
    eu_only = factories.make_organisation(
        "Quiet Partners Forum", ["LB"], email="quiet@qpf.example.org"
    )
    hidden_user = factories.make_user(
        "salma.benali@hidden-voices.example.org",
        "cso",
        organisation=hidden,
        full_name="Salma Benali",
    )
    named_user = factories.make_user(
        "omar@open-dialogue.example.org", "cso", organisation=named, full_name="Omar Haddad"
    )
    third_user = factories.make_user(
        "hedi@sfax-watch.example.org", "cso", organisation=third, full_name="Hedi Trabelsi"
    )
    lone_user = factories.make_user(
        "aram@yerevan-lone.example.org", "cso", organisation=lone, full_name="Aram Petrosyan"
    )
    quiet_user = factories.make_user(
        "lina@qpf.example.org", "cso", organisation=eu_only, full_name="Lina Khoury"
    )
    data = DigestData(consultation, other, hidden, named, lone, eu_only)
    planted_body = (
        "Police and youth rarely meet. Write to leak@hidden-voices.example.org or call "
        "+216 71 555 123; see https://hidden-voices.example.org/report and www.whistle-tn.org. "
        "Salma Benali of Hidden Voices Network and the Sfax Neighbourhood Watch run forums."
    )
    data.inputs["hidden"] = _forwarded(
        consultation,
        hidden_user,
        title="Community forums in Kasserine",
        body=planted_body,
        reviewed_body=planted_body,
        moderator_summary="Joint forums; ask omar@open-dialogue.example.org for details.",
        themes=("youth", "community-security"),
        recommendations=(
            ("eu", "Fund joint forums; contact Hidden Voices Network."),
            ("partner-government", '=HYPERLINK("http://evil.example.com")'),
        ),
        when=datetime(2026, 3, 10, 9, 0),
    )
    data.inputs["named"] = _forwarded(
        consultation,
        named_user,
        title="Oversight by parliament",
        body="Parliamentary committees need staff.",
        attribution=Attribution.ATTRIBUTABLE,
        type_="recommendation",
        themes=("oversight",),
        recommendations=(("member-states", "Second experts to the committees."),),
        when=datetime(2026, 4, 2, 9, 0),
    )
    data.inputs["third"] = _forwarded(
        consultation,
        third_user,
        title="Neighbourhood watch that works",
        body="Mixed patrols with municipal staff reduced tension.",
        type_="good-practice",
        themes=("community-security",),
        recommendations=(("eud", "Visit the patrol scheme."),),
        when=datetime(2026, 5, 20, 9, 0),
    )
    data.inputs["lone"] = _forwarded(
        consultation,
        lone_user,
        countries=["AM"],
        title="Border villages",
        body="Villages near the line of contact lack shelters.",
        type_="risk-alert",
        themes=("community-security",),
        recommendations=(("eu", "Support shelters near the border."),),
        when=datetime(2026, 3, 15, 9, 0),
    )
    data.inputs["eu_only"] = _forwarded(
        consultation,
        quiet_user,
        priority="crisis",
        title="EU-ONLY-MARKER early warning",
        body="EU-ONLY-BODY armed groups recruit in the camps.",
        attribution=Attribution.EU_ONLY,
        type_="risk-alert",
        recommendations=(("eu", "EU-ONLY-RECOMMENDATION monitor recruitment."),),
        when=datetime(2026, 3, 20, 9, 0),
    )
    data.inputs["other_consultation"] = _forwarded(
        other,
        third_user,
        priority="crisis",
        title="Earlier consultation input",
        body="Crisis response needs local partners.",
        when=datetime(2025, 6, 1, 9, 0),
    )
    duplicate = factories.make_input(
        consultation,
        third_user,
        status=FORWARDED,
        title="DUPLICATE-MARKER",
        body="The same as the neighbourhood watch.",
    )
    duplicate.merged_into_id = data.inputs["third"].id
    data.inputs["duplicate"] = duplicate
    data.inputs["in_review"] = factories.make_input(
        consultation, hidden_user, status=Status.IN_REVIEW, title="IN-REVIEW-MARKER"
    )
    db.session.commit()
    data.secret_identifiers = [
        # non-attributable organisations, their contacts and people
        "Hidden Voices Network",
        "secret@hidden-voices.example.org",
        "salma.benali@hidden-voices.example.org",
        "Salma Benali",
        "Sfax Neighbourhood Watch",
        "desk@sfax-watch.example.org",
        "hedi@sfax-watch.example.org",
        "Hedi Trabelsi",
        "Yerevan Lone Observatory",
        "obs@yerevan-lone.example.org",
        "aram@yerevan-lone.example.org",
        "Aram Petrosyan",
        "Quiet Partners Forum",
        "quiet@qpf.example.org",
        "lina@qpf.example.org",
        "Lina Khoury",
        # the attributable organisation's people (never named, only the organisation)
        "omar@open-dialogue.example.org",
        "Omar Haddad",
        "info@open-dialogue.example.org",
        # identifiers planted in the text
        "leak@hidden-voices.example.org",
        "555 123",
        "hidden-voices.example.org",
        "whistle-tn",
    ]
    return data


def read_text_parts(content: bytes) -> dict[str, str]:
    """Every part of a file as text: the file itself, or each member of a zip archive."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return {
                name: archive.read(name).decode("utf-8", errors="replace")
                for name in archive.namelist()
            }
    return {"(file)": content.decode("utf-8")}


def a_day_last_month() -> datetime:
    """A moment in the last month that is over: inputs forwarded then can be released."""
    from consult.timeutil import utcnow

    first = utcnow().replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    return first - timedelta(days=15)


def publish_release(
    slug: str = "enp-2026",
    actor=None,
    period: str | None = None,
    now=None,
    k: int | None = None,
):
    """Publish the next external release of a consultation (as HQ would) and commit it.

    ``k`` publishes with another minimum group size (the setting at publication).

    The inputs of :func:`build_digest_data` are forwarded in March-May 2026, so
    the default period (up to the last month that is over) covers them.
    """
    from flask import current_app

    from consult.digest.releases.publishing import create_release

    saved = current_app.config.get("DIGEST_MIN_GROUP_SIZE")
    if k is not None:
        current_app.config["DIGEST_MIN_GROUP_SIZE"] = k
    try:
        release = create_release(slug, actor, period=period, now=now)
    finally:
        if k is not None:
            current_app.config["DIGEST_MIN_GROUP_SIZE"] = saved
    db.session.commit()
    return release


@pytest.fixture
def make_digest_data():
    """``make_digest_data()``: forwarded inputs of several organisations, identifiers planted."""
    return build_digest_data


@pytest.fixture
def publish():
    """``publish(consultation_slug, ...)``: publish the next external release."""
    return publish_release


@pytest.fixture
def text_parts():
    """``text_parts(content)``: the text of each part of an Office file."""
    return read_text_parts


@pytest.fixture
def last_month():
    """``last_month()``: a moment in the previous calendar month."""
    return a_day_last_month
