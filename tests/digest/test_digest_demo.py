"""The demo inputs: a realistic set the digests can be tried on."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from consult.cli.demo import DEMO_CONSULTATION_SLUG
from consult.cli.demo_inputs import DEMO_INPUTS, seed_demo_inputs
from consult.digest.services import parse_filters, render_digest
from consult.extensions import db
from consult.inputs.models import Input
from consult.timeutil import utcnow


def test_demo_inputs_are_seeded_once_and_feed_the_digests(app, publish):
    added = seed_demo_inputs()
    db.session.commit()
    assert added == len(DEMO_INPUTS) >= 40
    assert seed_demo_inputs() == 0  # idempotent
    assert db.session.scalar(select(func.count(Input.id))) == len(DEMO_INPUTS)
    statuses = dict(
        db.session.execute(select(Input.status, func.count(Input.id)).group_by(Input.status)).all()
    )
    assert statuses["forwarded"] >= 25 and statuses["used"] >= 4
    assert {"submitted", "in_review", "returned", "declined", "draft"} <= set(statuses)
    assert (
        db.session.scalar(select(func.count(Input.id)).where(Input.hq_feedback.is_not(None))) >= 4
    )
    assert (
        db.session.scalar(select(func.count(Input.id)).where(Input.reviewed_body.is_not(None))) >= 3
    )
    assert db.session.scalar(select(func.count(Input.organisation_id.distinct()))) == 10

    # The demo inputs are forwarded in the last weeks: a release published once their
    # months are over covers them all.
    release = publish(DEMO_CONSULTATION_SLUG, now=utcnow() + timedelta(days=45))
    hq = None  # the CLI generates digests without a signed-in user
    external = json.loads(b"".join(render_digest("json", parse_filters({}), hq).chunks))
    internal = json.loads(
        b"".join(render_digest("json", parse_filters({"audience": "internal"}), hq).chunks)
    )
    # Two inputs are EU staff only; a small group that no region could hide is withheld.
    if release.audit["withheld"]:
        assert external["totals"]["inputs"] < internal["totals"]["inputs"] - 2
    else:
        assert internal["totals"]["inputs"] == external["totals"]["inputs"] + 2
    # Enough organisations write about some cells of both regions for their counts to show.
    shown_countries = {c["country"] for c in external["matrix"]["cells"] if c["inputs"]}
    assert {"TN", "UA", "MD"} <= shown_countries
    shown = [c for c in external["matrix"]["cells"] if c["inputs"]]
    hidden = [c for c in external["matrix"]["cells"] if c["inputs"] is None]
    assert shown and hidden  # some cells reach k = 3, others are reported at region level
    text = json.dumps(external)
    assert "+961 1 234 567" not in text  # a phone number the moderator missed
    assert "Arab Women Mediators Network" not in text  # never chose to be named
    assert "Black Sea Media Watch" in text  # chose to be named in every input
