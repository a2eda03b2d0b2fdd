"""GET/POST /api/v1/inputs/{id}/messages: the same thread and scope as the pages."""

from __future__ import annotations

from sqlalchemy import select

from consult.conversations.models import Message
from consult.extensions import db


def test_reviewer_asks_and_the_organisation_reads_and_answers(app, people, api_client):
    item = people.item
    moderator = api_client(app, people.moderator)
    response = moderator.post(
        f"/inputs/{item.id}/messages",
        json={"body": "Write to us at desk@eud-tn.example.org", "question": True},
    )
    assert response.status_code == 201
    sent = response.get_json()
    assert sent["from"] == "reviewers" and sent["question"] is True
    assert [i["kind"] for i in sent["identifiers"]] == ["email"]

    cso = api_client(app, people.cso)
    listed = cso.get(f"/inputs/{item.id}/messages").get_json()
    assert listed["question_waiting"] is True and listed["can_write"] is True
    assert listed["items"][0]["author"] == "EU Delegation to Tunisia"
    answer = cso.post(f"/inputs/{item.id}/messages", json={"body": "Done."})
    assert answer.status_code == 201
    assert cso.get(f"/inputs/{item.id}/messages").get_json()["question_waiting"] is False


def test_outside_the_scope_is_404_and_bad_bodies_are_400(app, people, api_client):
    outsider = api_client(app, people.other_moderator)
    assert outsider.get(f"/inputs/{people.item.id}/messages").status_code == 404
    assert (
        outsider.post(f"/inputs/{people.item.id}/messages", json={"body": "x"}).status_code == 404
    )
    assert (
        api_client(app, people.moderator).get(f"/inputs/{people.direct.id}/messages").status_code
        == 404
    )
    cso = api_client(app, people.cso)
    empty = cso.post(f"/inputs/{people.item.id}/messages", json={"body": " "})
    assert empty.status_code == 400
    assert empty.get_json()["error"]["fields"] == {"body": ["Write a message."]}
    wrong = cso.post(f"/inputs/{people.item.id}/messages", json={"body": 3})
    assert wrong.status_code == 400
    assert db.session.scalars(select(Message)).all() == []
