"""GET/POST /api/v1/inputs/{id}/messages: the same thread and scope as the pages."""

from __future__ import annotations

import io

from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.conversations.models import Message
from consult.extensions import db
from tests.sample_files import pdf_with_author, png_with_text


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


def test_files_go_with_a_message_and_come_back_byte_for_byte(app, people, api_client):
    item = people.item
    moderator = api_client(app, people.moderator)
    pdf = pdf_with_author("Map of the district")
    sent = moderator.post(
        f"/inputs/{item.id}/messages",
        data={
            "body": "Is this the district you mean?",
            "question": "true",
            "files": [(io.BytesIO(pdf), "district.pdf"), (io.BytesIO(png_with_text()), "a.png")],
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 201, sent.get_json()
    message = sent.get_json()
    assert message["question"] is True
    assert [a["filename"] for a in message["attachments"]] == ["district.pdf", "a.png"]

    cso = api_client(app, people.cso)
    url = message["attachments"][0]["url"].removeprefix("/api/v1")
    file = cso.get(url)
    assert file.status_code == 200 and file.mimetype == "application/pdf"
    assert "attachment" in file.headers["Content-Disposition"]
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert file.get_data().startswith(b"%PDF")
    assert len(file.get_data()) == message["attachments"][0]["size"]
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "message_attachment.downloaded")
    ).all()
    assert [event.detail.get("via") for event in audited] == ["api"]

    # Out of scope, or under another input: 404, as on the pages.
    assert api_client(app, people.other_cso).get(url).status_code == 404
    other = url.replace(str(item.id), str(people.other_item.id))
    assert cso.get(other).status_code == 404


def test_a_bad_file_or_flag_in_a_multipart_message_is_refused_with_nothing_sent(
    app, people, api_client
):
    cso = api_client(app, people.cso)
    url = f"/inputs/{people.item.id}/messages"
    bad_file = cso.post(
        url,
        data={"body": "Here", "files": [(io.BytesIO(b"MZ\x90\x00 a program"), "notes.pdf")]},
        content_type="multipart/form-data",
    )
    assert bad_file.status_code in (415, 422)
    assert bad_file.get_json()["error"]["fields"]
    bad_flag = cso.post(
        url, data={"body": "Here", "question": "perhaps"}, content_type="multipart/form-data"
    )
    assert bad_flag.status_code == 400
    assert bad_flag.get_json()["error"]["fields"] == {"question": ["Give true or false."]}
    assert db.session.scalars(select(Message)).all() == []
