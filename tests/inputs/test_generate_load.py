"""``flask generate-load``: the rows it writes and how skewed they are."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from consult.auth.models import User
from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import Consultation, Input, InputCountry, Recommendation
from consult.inputs.states import Status
from consult.organisations.models import Organisation
from consult.review.queue import queue_page
from consult.timeutil import utcnow


def _statuses() -> Counter[str]:
    return Counter(
        dict(db.session.execute(select(Input.status, func.count()).group_by(Input.status)).all())
    )


def test_generate_load_writes_a_skewed_consultation(runner):
    result = runner.invoke(args=["generate-load", "--inputs", "1200", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "Wrote 1200 inputs" in result.output
    assert "1200/1200 inputs" in result.output  # progress, one line per batch

    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == "generated-load")
    )
    assert (
        db.session.scalar(select(func.count()).where(Input.consultation_id == consultation.id))
        == 1200
    )
    assert db.session.scalar(select(func.count(Organisation.id))) == 20
    assert db.session.scalar(select(func.count(Recommendation.id))) > 1200

    statuses = _statuses()
    reached_hq = statuses[Status.FORWARDED] + statuses[Status.USED]
    waiting = statuses[Status.SUBMITTED] + statuses[Status.IN_REVIEW]
    assert 0.55 < reached_hq / 1200 < 0.8
    assert 0.08 < waiting / 1200 < 0.25
    assert statuses[Status.DRAFT] > 0 and statuses[Status.DECLINED] > 0

    # Some priorities and countries far busier than others.
    priorities = sorted(
        n
        for _p, n in db.session.execute(
            select(Input.priority_slug, func.count()).group_by(Input.priority_slug)
        )
    )
    assert len(priorities) == 7 and priorities[-1] >= 3 * priorities[0]
    countries = sorted(
        n
        for _c, n in db.session.execute(
            select(InputCountry.country_code, func.count())
            .where(InputCountry.position == 0)
            .group_by(InputCountry.country_code)
        )
    )
    assert countries[-1] >= 2 * countries[len(countries) // 2]
    assert countries[-1] >= 5 * countries[0]

    # Every submitted input has its submission event; forwarded ones their forwarding.
    submitted_events = db.session.scalar(
        select(func.count()).where(ReviewEvent.kind == EventKind.SUBMITTED)
    )
    assert submitted_events == 1200 - statuses[Status.DRAFT]
    forwarded_events = db.session.scalar(
        select(func.count()).where(ReviewEvent.kind == EventKind.FORWARDED)
    )
    assert forwarded_events == reached_hq


def test_generated_inputs_wait_in_the_moderators_queue(runner):
    assert runner.invoke(args=["generate-load", "--inputs", "800"]).exit_code == 0
    # The busiest delegation's moderator sees its open inputs, oldest first.
    busiest = db.session.execute(
        select(Input.delegation_slug, func.count())
        .where(Input.status.in_([Status.SUBMITTED, Status.IN_REVIEW]))
        .where(Input.delegation_slug.is_not(None))
        .group_by(Input.delegation_slug)
        .order_by(func.count().desc())
    ).first()
    moderator = db.session.scalar(
        select(User).where(User.email == f"moderator.{busiest[0]}@load.example.org")
    )
    page = queue_page(moderator, {}, kind="delegation")
    assert page.total == busiest[1]
    assert page.items and all(i.delegation_slug == busiest[0] for i in page.items)
    dates = [i.submitted_at for i in page.items]
    assert dates == sorted(dates)
    claimed = [i for i in page.items if i.status == Status.IN_REVIEW]
    assert all(i.claimed_by_id == moderator.id for i in claimed)


def test_a_second_run_adds_inputs_and_reuses_the_organisations(runner):
    assert runner.invoke(args=["generate-load", "--inputs", "300", "--seed", "1"]).exit_code == 0
    result = runner.invoke(args=["generate-load", "--inputs", "300", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "0 new organisations, 0 new accounts" in result.output
    assert db.session.scalar(select(func.count(Input.id))) == 600
    assert db.session.scalar(select(func.count(Organisation.id))) == 20


def test_nothing_generated_happens_in_the_future(runner):
    """Reviews and uses near the end of the period are drawn before now, not after."""
    before = utcnow()
    result = runner.invoke(args=["generate-load", "--inputs", "3000", "--seed", "4"])
    assert result.exit_code == 0, result.output
    after = utcnow()
    for column in (
        Input.submitted_at,
        Input.decided_at,
        Input.forwarded_at,
        Input.used_at,
        Input.updated_at,
    ):
        latest = db.session.scalar(select(func.max(column)))
        assert latest is not None and latest <= after, (column, latest)
    assert db.session.scalar(select(func.max(ReviewEvent.created_at))) <= after
    # The last days still see decisions: the period runs up to now.
    recent = db.session.scalar(
        select(func.count()).where(Input.forwarded_at >= before - timedelta(days=2))
    )
    assert recent > 0
