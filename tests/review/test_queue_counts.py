"""The counts per status a queue shows stay right through every move of an input.

They come from counters the database keeps (``queue_counts``), not from
counting the queue on every page: after each submit, claim, forward, return,
resubmit, decline, withdraw, use and deletion, every queue's counts must
equal a count of the inputs themselves.
"""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Input
from consult.review import claims, decisions
from consult.review.queue import queue_condition, queue_page
from consult.review.queue_counts import recount
from consult.submissions import services
from consult.submissions.services import InputData
from consult.submissions.withdrawing import withdraw
from tests import factories


def _data(consultation, countries=("TN",), **overrides) -> InputData:
    values = {
        "consultation": consultation,
        "priority_slug": "ssr",
        "country_codes": list(countries),
        "level_slug": "local",
        "type_slug": "good-practice",
        "title": "Oversight councils",
        "body": "Civic councils oversee local police.",
        "recommendations": [("eu", "Support the councils.")],
        "theme_slugs": ["oversight"],
    }
    values.update(overrides)
    return InputData(**values)


def _counted(user, kind: str) -> dict[str, int]:
    """The truth: the queue's inputs counted one by one."""
    rows = db.session.execute(
        select(Input.status, func.count()).where(queue_condition(user, kind)).group_by(Input.status)
    )
    return {row[0]: row[1] for row in rows}


def _assert_counts_right(readers: dict[str, object], expected: dict[str, dict[str, int]]) -> None:
    db.session.commit()
    for kind, user in readers.items():
        shown = queue_page(user, {"status": "all"}, kind=kind).counts
        assert shown == _counted(user, kind), kind
        assert shown == expected[kind], kind


def test_counts_follow_submit_claim_forward_return_decline_withdraw_and_use(
    consultation, cso_user, moderator_user, hq_user
):
    readers = {"delegation": moderator_user, "hq": hq_user, "forwarded": hq_user}
    first = services.submit_input(cso_user, _data(consultation))
    second = services.submit_input(cso_user, _data(consultation))
    third = services.submit_input(cso_user, _data(consultation))
    to_hq = services.submit_input(cso_user, _data(consultation, is_hq_direct=True))
    draft = services.save_draft(cso_user, _data(consultation))
    _assert_counts_right(
        readers, {"delegation": {"submitted": 3}, "hq": {"submitted": 1}, "forwarded": {}}
    )

    claims.claim(moderator_user, first)
    claims.claim(moderator_user, second)
    _assert_counts_right(
        readers,
        {
            "delegation": {"submitted": 1, "in_review": 2},
            "hq": {"submitted": 1},
            "forwarded": {},
        },
    )

    decisions.decide(moderator_user, first, "forward", version=first.version)
    decisions.decide(moderator_user, second, "return", "Which district?", version=second.version)
    withdraw(cso_user, third)
    _assert_counts_right(
        readers,
        {
            "delegation": {"forwarded": 1, "returned": 1, "withdrawn": 1},
            "hq": {"submitted": 1},
            "forwarded": {"forwarded": 1},
        },
    )

    # Resubmitted to another country's delegation: it leaves Tunisia's queue.
    services.resubmit(cso_user, second, _data(consultation, countries=("UA",)))
    claims.claim(hq_user, to_hq)
    decisions.decide(hq_user, to_hq, "decline", version=to_hq.version, reason="out-of-scope")
    decisions.record_hq_feedback(hq_user, first, "Quoted in the annual review.")
    _assert_counts_right(
        readers,
        {
            "delegation": {"used": 1, "withdrawn": 1},
            "hq": {"declined": 1},
            "forwarded": {"used": 1},
        },
    )

    # Submitting a draft counts it; deleting inputs takes them off.
    services.submit_input(cso_user, _data(consultation), draft)
    db.session.delete(first)
    _assert_counts_right(
        readers,
        {"delegation": {"submitted": 1, "withdrawn": 1}, "hq": {"declined": 1}, "forwarded": {}},
    )


def test_a_rolled_back_move_leaves_the_counts_as_they_were(consultation, cso_user, moderator_user):
    item = factories.make_input(consultation, cso_user)
    claims.claim(moderator_user, item)
    db.session.rollback()
    assert queue_page(moderator_user, {}, kind="delegation").counts == {"submitted": 1}


def test_the_consultation_filter_counts_that_consultation_only(
    consultation, cso_user, moderator_user
):
    other = factories.make_consultation(slug="second-round")
    factories.make_input(consultation, cso_user)
    factories.make_input(other, cso_user)
    factories.make_input(other, cso_user, status="in_review")
    page = queue_page(moderator_user, {"consultation": "second-round"}, kind="delegation")
    assert page.counts == {"submitted": 1, "in_review": 1}
    assert page.total == 2 and len(page.items) == 2


def test_a_finer_filter_counts_the_matching_inputs(consultation, cso_user, moderator_user):
    factories.make_input(consultation, cso_user, priority="ssr")
    factories.make_input(consultation, cso_user, priority="terrorism")
    page = queue_page(moderator_user, {"priority": "terrorism"}, kind="delegation")
    assert page.counts == {"submitted": 1}


def test_recount_rebuilds_the_counters_from_the_inputs(consultation, cso_user, moderator_user):
    factories.make_input(consultation, cso_user)
    factories.make_input(consultation, cso_user, status="declined")
    db.session.execute(db.text("UPDATE queue_counts SET count = 99"))
    recount(db.session.connection())
    assert queue_page(moderator_user, {"status": "all"}, kind="delegation").counts == {
        "submitted": 1,
        "declined": 1,
    }
