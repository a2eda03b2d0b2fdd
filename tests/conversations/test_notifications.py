"""Notifications in the app: who is told what, the unread count, the list, the email choice."""

from __future__ import annotations

from sqlalchemy import select

from consult.conversations.services import post_message
from consult.extensions import db
from consult.inputs.states import Status
from consult.notifications.models import Kind, Notification
from consult.review.decisions import decide
from tests import factories


def _kinds(user) -> list[str]:
    return sorted(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


def test_new_inputs_reach_their_reviewers_only(people):
    # The fixture's inputs: one to the Tunisian delegation, one HQ-direct, one to Ukraine.
    assert _kinds(people.moderator) == [Kind.QUEUE]
    assert _kinds(people.other_moderator) == [Kind.QUEUE]
    assert _kinds(people.hq) == [Kind.QUEUE]  # the HQ-direct one
    assert _kinds(people.cso) == []


def test_decisions_reach_the_organisation_and_forwarded_inputs_reach_hq(people):
    decide(people.moderator, people.item, "forward", version=people.item.version)
    db.session.commit()
    assert _kinds(people.cso) == [Kind.STATUS]
    assert _kinds(people.colleague) == [Kind.STATUS]
    assert _kinds(people.hq) == [Kind.FORWARDED, Kind.QUEUE]
    assert _kinds(people.other_cso) == []


def test_a_returned_input_is_a_question_for_the_organisation(people):
    item = people.item
    decide(people.moderator, item, "return", "Which districts?", version=item.version)
    db.session.commit()
    assert item.status == Status.RETURNED
    assert _kinds(people.cso) == [Kind.QUESTION]


def test_messages_reach_the_other_side(people):
    post_message(people.moderator, people.item, "Which districts?", question=True)
    post_message(people.cso, people.item, "Gafsa.")
    db.session.commit()
    assert _kinds(people.cso) == [Kind.QUESTION]
    assert _kinds(people.colleague) == [Kind.QUESTION]
    assert _kinds(people.moderator) == [Kind.MESSAGE, Kind.QUEUE]
    assert _kinds(people.other_moderator) == [Kind.QUEUE]
    assert _kinds(people.hq) == [Kind.QUEUE]


def test_the_unread_count_and_the_list(people, as_user):
    post_message(people.moderator, people.item, "Which districts?", question=True)
    db.session.commit()
    cso = as_user(people.cso)
    home = cso.get("/my_inputs").get_data(as_text=True)
    assert 'id="nav-news"' in home and '<span class="count"' in home
    page = cso.get("/notifications").get_data(as_text=True)
    assert "A question about \u201cPolicing in Gafsa\u201d waits for your answer." in page
    note = db.session.scalars(
        select(Notification).where(Notification.user_id == people.cso.id)
    ).one()
    opened = cso.post(f"/notifications/{note.id}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/inputs/{people.item.id}#thread")
    assert '<span class="count"' not in cso.get("/my_inputs").get_data(as_text=True)
    # Someone else's notification is not theirs to open.
    assert as_user(people.colleague).post(f"/notifications/{note.id}").status_code == 404


def test_the_email_choice_is_saved_and_a_wrong_one_explained(people, as_user):
    cso = as_user(people.cso)
    page = cso.get("/notifications").get_data(as_text=True)
    assert 'value="immediate" checked' in page
    assert cso.post("/notifications/email", data={"frequency": "daily"}).status_code == 302
    assert 'value="daily" checked' in cso.get("/notifications").get_data(as_text=True)
    wrong = cso.post("/notifications/email", data={"frequency": "weekly"})
    assert wrong.status_code == 400
    assert "Choose one of the options." in wrong.get_data(as_text=True)


def test_staff_default_to_at_most_one_email_an_hour(people, as_user):
    page = as_user(people.moderator).get("/notifications").get_data(as_text=True)
    assert 'value="hourly" checked' in page


def test_a_notification_whose_input_went_out_of_sight_is_not_listed(people, as_user, consultation):
    other = factories.make_input(consultation, people.cso, title="Moved away")
    other.delegation_slug = "eud-ua"
    db.session.commit()
    page = as_user(people.moderator).get("/notifications").get_data(as_text=True)
    assert "Moved away" not in page


def test_a_status_change_reads_in_the_organisation_s_words(people, as_user):
    decide(people.moderator, people.item, "forward", version=people.item.version)
    db.session.commit()
    page = as_user(people.cso).get("/notifications").get_data(as_text=True)
    assert "Your input \u201cPolicing in Gafsa\u201d is now: Forwarded to HQ." in page


def test_reading_the_input_reads_its_news(people, as_user):
    post_message(people.moderator, people.item, "Which districts?", question=True)
    db.session.commit()
    cso = as_user(people.cso)
    assert '<span class="count"' in cso.get("/my_inputs").get_data(as_text=True)
    assert '<span class="count"' not in cso.get(f"/inputs/{people.item.id}").get_data(as_text=True)
    moderator = as_user(people.moderator)
    assert '<span class="count"' in moderator.get("/review/queue").get_data(as_text=True)
    moderator.get(f"/review/inputs/{people.item.id}")
    assert '<span class="count"' not in moderator.get("/review/queue").get_data(as_text=True)
    # A colleague's news stays theirs until they read it.
    assert '<span class="count"' in as_user(people.colleague).get("/my_inputs").get_data(
        as_text=True
    )
