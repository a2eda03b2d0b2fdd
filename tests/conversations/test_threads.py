"""The thread of an input: asking without returning, answering, scope, files, identifiers."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.conversations.models import Message, MessageAttachment
from consult.extensions import db
from consult.inputs.files import attachment_path
from consult.inputs.models import MESSAGE_MAX
from consult.inputs.states import Status
from tests.sample_files import GPS_IFD, jpeg_with_gps


def _post(client, item, body, **extra):
    data = {"body": body, **extra}
    return client.post(f"/inputs/{item.id}/messages", data=data, content_type="multipart/form-data")


def test_a_moderator_asks_without_returning_and_the_cso_answers(people, as_user):
    item = people.item
    version, status, submitted_at = item.version, item.status, item.submitted_at
    moderator = as_user(people.moderator)
    response = _post(moderator, item, "Which districts do the forums cover?", question="yes")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/review/inputs/{item.id}#thread")

    db.session.refresh(item)
    assert (item.version, item.status, item.submitted_at) == (version, status, submitted_at)

    cso = as_user(people.cso)
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert "Which districts do the forums cover?" in page
    assert "A reviewer asked a question: answer it below." in page
    # The CSO sees the delegation, never the moderator's name or address.
    assert "EU Delegation to Tunisia" in page
    assert people.moderator.email not in page.split("</header>", 1)[1]

    assert _post(cso, item, "Gafsa and Redeyef.").status_code == 302
    db.session.refresh(item)
    assert item.status == Status.SUBMITTED and item.version == version
    review_page = moderator.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Gafsa and Redeyef." in review_page
    assert "Your question waits" not in review_page
    sides = [m.side for m in db.session.scalars(select(Message).order_by(Message.created_at))]
    assert sides == ["reviewers", "cso"]
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("message.posted") == 2


def test_the_thread_is_scoped_exactly_like_its_input(people, as_user):
    _post(as_user(people.cso), people.direct, "Only HQ should read this.")
    _post(as_user(people.cso), people.item, "For our delegation.")
    outsiders = [
        (people.other_moderator, people.item),  # another delegation
        (people.moderator, people.direct),  # an HQ-direct organisation's input
        (people.other_cso, people.item),  # another organisation
    ]
    for user, item in outsiders:
        client = as_user(user)
        assert client.get(f"/inputs/{item.id}/messages").status_code == 404
        assert _post(client, item, "hello").status_code == 404
    hq = as_user(people.hq)
    assert "Only HQ should read this." in hq.get(f"/inputs/{people.direct.id}/messages").get_data(
        as_text=True
    )
    assert hq.get(f"/inputs/{people.item.id}/messages").status_code == 404
    viewed = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.action == "thread.viewed")
    ).all()
    assert viewed == [str(people.direct.id)]  # EU staff reading a thread is on record
    assert db.session.scalar(select(db.func.count()).select_from(Message)) == 2


def test_hq_may_read_a_forwarded_thread_but_only_the_reviewers_write(people, as_user, consultation):
    item = people.item
    _post(as_user(people.moderator), item, "Forwarding soon.")
    item.status = Status.FORWARDED
    db.session.commit()
    hq = as_user(people.hq)
    page = hq.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Forwarding soon." in page
    assert 'name="body"' not in page
    assert _post(hq, item, "HQ writes").status_code == 400


def test_an_empty_or_long_message_is_refused_beside_the_field_and_kept(people, as_user):
    cso = as_user(people.cso)
    response = _post(cso, people.item, "   ")
    assert response.status_code == 400
    assert "Write a message." in response.get_data(as_text=True)
    long_text = "word " * (MESSAGE_MAX // 4)
    response = _post(cso, people.item, long_text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"A message may be at most {MESSAGE_MAX} characters." in page
    assert long_text.strip() in page  # nothing typed is lost
    assert db.session.scalars(select(Message)).all() == []


def test_a_file_that_is_not_accepted_is_refused_and_the_text_kept(people, as_user):
    cso = as_user(people.cso)
    response = _post(
        cso, people.item, "See the file", files=(io.BytesIO(b"MZ\x90\x00" * 50), "tool.pdf")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This file type is not accepted" in page
    assert "See the file" in page
    assert db.session.scalars(select(Message)).all() == []


def test_message_files_lose_their_metadata_and_stay_in_scope(people, as_user):
    cso = as_user(people.cso)
    response = _post(
        cso, people.item, "A photo of the site", files=(io.BytesIO(jpeg_with_gps()), "site.jpg")
    )
    assert response.status_code == 302
    stored = db.session.scalars(select(MessageAttachment)).one()
    data = attachment_path(stored).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in data
    moderator = as_user(people.moderator)
    download = moderator.get(f"/messages/files/{stored.id}")
    assert download.status_code == 200 and download.data == data
    assert as_user(people.other_cso).get(f"/messages/files/{stored.id}").status_code == 404
    assert as_user(people.other_moderator).get(f"/messages/files/{stored.id}").status_code == 404


def test_identifiers_in_a_message_are_marked_not_removed(people, as_user):
    _post(as_user(people.cso), people.item, "Call Amira at amira.trabelsi@example.org please.")
    page = as_user(people.moderator).get(f"/review/inputs/{people.item.id}").get_data(as_text=True)
    assert '<mark class="identifier" id="mark-message-0-' in page
    assert "amira.trabelsi@example.org</mark>" in page
    assert db.session.scalars(select(Message.body)).one() == (
        "Call Amira at amira.trabelsi@example.org please."
    )


def test_a_draft_has_no_thread(people, as_user, consultation):
    from tests import factories

    draft = factories.make_input(consultation, people.cso, status=Status.DRAFT)
    cso = as_user(people.cso)
    assert 'id="thread"' not in cso.get(f"/inputs/{draft.id}").get_data(as_text=True)
    assert _post(cso, draft, "hello").status_code == 400


def test_an_administrator_reads_a_thread_without_a_link_to_a_page_they_cannot_open(
    people, as_user, admin_user
):
    _post(as_user(people.moderator), people.item, "Which districts?", question="yes")
    admin = as_user(admin_user)
    response = admin.get(f"/inputs/{people.item.id}/messages")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Which districts?" in page
    assert f"/review/inputs/{people.item.id}" not in page  # a 403 for administrators
    assert admin.get(f"/review/inputs/{people.item.id}").status_code in (403, 404)
    refused = _post(admin, people.item, "Admins do not write here")
    assert refused.status_code == 400
    assert f"/review/inputs/{people.item.id}" not in refused.get_data(as_text=True)
