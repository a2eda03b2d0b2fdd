"""No lost updates: two people saving or deciding one input at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.review import services
from tests import factories


@pytest.fixture
def first(app):
    return factories.make_user(
        "first.tn@eeas.example.org", "moderator", delegation="eud-tn", full_name="First Moderator"
    )


@pytest.fixture
def second(app):
    return factories.make_user(
        "second.tn@eeas.example.org",
        "moderator",
        delegation="eud-tn",
        full_name="Second Moderator",
    )


@pytest.fixture
def item(consultation, cso_user):
    return factories.make_input(
        consultation, cso_user, title="Border communities", body="Smuggling hurts trust."
    )


def client_for(app, user):
    return factories.login(app.test_client(), user)


def current(item: Input) -> Input:
    db.session.expire_all()
    return db.session.get(Input, item.id)


def test_two_decisions_with_the_same_version_exactly_one_wins(app, item, first, second):
    version = item.version
    a, b = client_for(app, first), client_for(app, second)
    won = a.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": version, "action": "forward", "hq_note": "Good input."},
    )
    lost = b.post(
        f"/review/inputs/{item.id}/decide",
        data={
            "version": version,
            "action": "return",
            "question": "Could you name the border crossings?",
            "confirmed": "yes",
        },
    )
    assert won.status_code == 302
    assert lost.status_code == 409
    page = lost.get_data(as_text=True)
    assert "Not saved: someone changed this input since you opened it" in page
    assert "First Moderator: forwarded it to HQ" in page
    # The second person's words are still on the page to re-use.
    assert "Could you name the border crossings?" in page
    saved = current(item)
    assert saved.status == Status.FORWARDED
    kinds = list(
        db.session.scalars(select(ReviewEvent.kind).where(ReviewEvent.input_id == item.id))
    )
    assert kinds.count("forwarded") == 1 and "returned" not in kinds


def test_concurrent_edits_show_what_changed_and_keep_the_typed_text(app, item, first, second):
    version = item.version
    base = {
        "version": version,
        "priority": "ssr",
        "input_type": "context-analysis",
        "main_country": "TN",
        "reviewed_title": item.title,
        "reviewed_body": item.body,
        f"rec-{item.recommendations[0].id}": item.recommendations[0].text,
    }
    a, b = client_for(app, first), client_for(app, second)
    saved = a.post(
        f"/review/inputs/{item.id}/edit",
        data={**base, "priority": "organised-crime", "moderator_summary": "Summary by first."},
    )
    assert saved.status_code == 302
    refused = b.post(
        f"/review/inputs/{item.id}/edit",
        data={
            **base,
            "reviewed_body": "Smuggling hurts trust between border towns.",
            "moderator_summary": "Summary by second.",
        },
    )
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert (
        "First Moderator: changed the priority from Security sector reform "
        "(incl. community security) to Disrupting organised crime; "
        "edited the moderator summary" in page
    )
    # A line diff of what the second person typed against what is saved now.
    assert "-Summary by first." in page and "+Summary by second." in page
    assert "Smuggling hurts trust between border towns." in page  # the typed text, kept
    saved_item = current(item)
    assert saved_item.moderator_summary == "Summary by first."
    assert saved_item.priority_slug == "organised-crime"
    # The re-rendered form carries the new version: saving again applies it knowingly.
    assert f'name="version" value="{saved_item.version}"' in page
    again = b.post(
        f"/review/inputs/{item.id}/edit",
        data={
            **base,
            "version": saved_item.version,
            "priority": "organised-crime",
            "moderator_summary": "Summary by second.",
        },
    )
    assert again.status_code == 302
    assert current(item).moderator_summary == "Summary by second."


def test_claim_race_with_a_stale_version_is_refused(app, item, first, second):
    a, b = client_for(app, first), client_for(app, second)
    assert a.post(f"/review/inputs/{item.id}/claim", data={"version": 1}).status_code == 302
    lost = b.post(f"/review/inputs/{item.id}/claim", data={"version": 1})
    assert lost.status_code == 409
    assert "First Moderator: claimed it" in lost.get_data(as_text=True)
    assert current(item).claimed_by_id == first.id


def test_a_true_race_caught_at_flush_becomes_a_conflict(app, item, first):
    """Both requests passed the version check; the database refuses the second UPDATE."""
    loaded = db.session.get(Input, item.id)
    version = loaded.version
    # Another request commits between our check and our flush.
    with db.engine.begin() as conn:
        conn.execute(
            update(Input.__table__)
            .where(Input.__table__.c.id == item.id)
            .values(version=version + 1, status=Status.DECLINED)
        )
    with pytest.raises(services.ConflictError) as caught:
        services.decide(first, loaded, "forward", version=version)
    assert caught.value.rolled_back
    assert caught.value.current_version == version + 1
    assert current(item).status == Status.DECLINED
    assert not db.session.scalars(select(ReviewEvent).where(ReviewEvent.kind == "forwarded")).all()


def test_threaded_race_of_two_decisions(app, make_app, item, first, second):
    """Two requests at the same moment, in two threads: one wins, one gets the conflict."""
    served = make_app()
    version, input_id = item.version, item.id
    clients = {}
    # Sign both in before the threads start (the test's session stays in this thread).
    for name, user in (("forward", first), ("decline", second)):
        clients[name] = factories.login(served.test_client(), user)
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def post(name: str, data: dict) -> None:
        barrier.wait()
        response = clients[name].post(f"/review/inputs/{input_id}/decide", data=data)
        results[name] = response.status_code

    threads = [
        threading.Thread(target=post, args=("forward", {"version": version, "action": "forward"})),
        threading.Thread(
            target=post,
            args=(
                "decline",
                {"version": version, "action": "decline", "reason": "other", "confirmed": "yes"},
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == [302, 409], results
    saved = current(item)
    winner = "forward" if results["forward"] == 302 else "decline"
    assert saved.status == (Status.FORWARDED if winner == "forward" else Status.DECLINED)
    decisions = [
        e.kind
        for e in db.session.scalars(select(ReviewEvent).where(ReviewEvent.input_id == item.id))
        if e.kind in ("forwarded", "declined")
    ]
    assert len(decisions) == 1
