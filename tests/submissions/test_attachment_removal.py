"""Taking a wrong file off an input before it goes (again) to a moderator.

The web form's "Remove" button (no JavaScript: a submit button of the big
form) and ``DELETE /api/v1/inputs/{id}/attachments/{attachment_id}`` go
through one domain function with one set of rules.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import Attachment, Input, InputRevision
from consult.inputs.states import Status
from consult.review.timeline import describe_event
from consult.submissions import services
from consult.submissions.attachments import attachment_path, store_attachment
from tests import factories
from tests.sample_files import pdf_with_author, png_with_text
from tests.submissions.conftest import UPLOAD_KEY, new_url, payload

TYPED_BODY = "What we saw in Kasserine, written with care over an hour."


def attach(user, item, data: bytes, name: str) -> Attachment:
    """A file saved on ``item`` (as the API or an earlier saved form left it)."""
    att = store_attachment(user, io.BytesIO(data), name, item=item)
    db.session.commit()
    return att


def rows() -> list[Attachment]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attachment)))


def remove_click(**overrides) -> dict:
    """The form as the browser sends it when one file's Remove button is pressed."""
    return payload(submit=None, body=TYPED_BODY, title="", **overrides)


@pytest.fixture
def draft(consultation, cso_user):
    return factories.make_input(consultation, cso_user, status=Status.DRAFT, title="Draft")


@pytest.fixture
def returned(consultation, cso_user):
    return factories.make_input(consultation, cso_user, status=Status.RETURNED, title="First go")


# --------------------------------------------------------------------------- the web form


def test_remove_on_a_new_input_keeps_the_text_and_takes_the_file_off(cso, consultation):
    data = payload(title="")  # a failed validation: the file is kept pending
    data["attachments"] = (io.BytesIO(png_with_text()), "names-of-witnesses.png")
    page = cso.post(new_url(consultation), data=data, content_type="multipart/form-data")
    assert page.status_code == 400
    [att] = rows()
    att_id, path = att.id, attachment_path(att)
    assert 'name="remove_attachment"' in page.get_data(as_text=True) and path.exists()

    response = cso.post(new_url(consultation), data=remove_click(remove_attachment=str(att.id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "names-of-witnesses.png is removed." in page
    assert f'value="{att_id}"' not in page and f"/attachments/{att_id}" not in page
    # Everything typed is still there, and no error was raised for the empty title.
    assert TYPED_BODY in page and "Publish police complaint statistics." in page
    assert "Please correct the following" not in page and "Give your input a title." not in page
    assert f'value="{UPLOAD_KEY}"' in page
    # The row and the stored bytes are gone; nothing was saved or sent.
    assert rows() == [] and not path.exists()
    assert db.session.scalars(select(Input)).all() == []


def test_remove_on_a_draft_takes_a_saved_file_off_without_saving_the_draft(cso, cso_user, draft):
    wrong = attach(cso_user, draft, pdf_with_author(), "wrong-report.pdf")
    right = attach(cso_user, draft, png_with_text(), "map.png")
    wrong_id, right_id = wrong.id, right.id
    wrong_path, right_path = attachment_path(wrong), attachment_path(right)
    form = cso.get(f"/inputs/{draft.id}/edit").get_data(as_text=True)
    assert form.count('name="remove_attachment"') == 2

    response = cso.post(
        f"/inputs/{draft.id}/edit", data=remove_click(remove_attachment=str(wrong_id))
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "wrong-report.pdf is removed." in page
    assert f'value="{wrong_id}"' not in page and f'value="{right_id}"' in page
    assert TYPED_BODY in page
    assert [a.filename for a in rows()] == ["map.png"]
    assert not wrong_path.exists() and right_path.exists()
    saved = db.session.get(Input, draft.id)
    assert saved.status == Status.DRAFT and saved.body != TYPED_BODY  # the text was not saved
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.removed"))
    assert audit.object_id == str(wrong_id)
    assert "wrong-report" not in str(audit.detail)  # no name, no content in the audit log


def test_a_file_chosen_with_the_remove_click_is_kept(cso, cso_user, draft):
    wrong = attach(cso_user, draft, pdf_with_author(), "wrong.pdf")
    data = remove_click(remove_attachment=str(wrong.id))
    data["attachments"] = (io.BytesIO(png_with_text()), "right.png")
    page = cso.post(
        f"/inputs/{draft.id}/edit", data=data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "wrong.pdf is removed." in page and "right.png" in page
    assert [a.filename for a in rows()] == ["right.png"]


def test_remove_on_a_returned_input_keeps_only_the_name_in_the_earlier_version(
    cso, cso_user, returned
):
    att = attach(cso_user, returned, pdf_with_author(), "testimony-of-a-witness.pdf")
    path = attachment_path(att)
    form = cso.get(f"/inputs/{returned.id}/revise").get_data(as_text=True)
    assert f'name="remove_attachment" value="{att.id}"' in form

    response = cso.post(
        f"/inputs/{returned.id}/revise",
        data=remove_click(resubmit=None, remove_attachment=str(att.id)),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "testimony-of-a-witness.pdf is removed." in page and TYPED_BODY in page
    assert rows() == [] and not path.exists()
    [revision] = db.session.scalars(select(InputRevision)).all()
    assert revision.snapshot["title"] == "First go"
    assert revision.snapshot["attachments"] == [
        {"filename": "testimony-of-a-witness.pdf", "removed": True}
    ]
    db.session.expire_all()
    assert db.session.get(Input, returned.id).status == Status.RETURNED  # not resubmitted

    # Resubmitting keeps that earlier version as it was (one revision, the name only).
    data = payload(submit=None, resubmit="Resubmit revised input", title="Second go")
    assert cso.post(f"/inputs/{returned.id}/revise", data=data).status_code == 302
    [revision] = db.session.scalars(select(InputRevision)).all()
    assert revision.snapshot["title"] == "First go"
    assert revision.snapshot["attachments"][0]["filename"] == "testimony-of-a-witness.pdf"

    # Both timelines say a file was removed, and neither names it.
    page = cso.get(f"/inputs/{returned.id}").get_data(as_text=True)
    assert "An attached file was removed" in page
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.kind == EventKind.FILE_REMOVED)
    ).all()
    assert len(events) == 1 and "testimony" not in str(events[0].data)
    assert describe_event(events[0]) == "removed an attached file"


def test_another_organisations_file_is_a_404(cso, consultation, draft):
    other_org = factories.make_organisation("Kyiv Civic Oversight", ["UA"])
    other = factories.make_user("oksana@kcon.example.org", "cso", organisation=other_org)
    their_draft = factories.make_input(consultation, other, status=Status.DRAFT)
    theirs = attach(other, their_draft, png_with_text(), "theirs.png")
    pending = store_attachment(other, io.BytesIO(png_with_text()), "p.png", upload_key=UPLOAD_KEY)
    db.session.commit()

    for url in (new_url(consultation), f"/inputs/{draft.id}/edit"):
        for target in (theirs, pending):
            response = cso.post(url, data=remove_click(remove_attachment=str(target.id)))
            assert response.status_code == 404
    assert len(rows()) == 2
    assert attachment_path(theirs).exists() and attachment_path(pending).exists()


def test_a_file_of_another_input_or_form_of_ones_own_organisation_is_a_404(
    cso, cso_user, consultation, draft
):
    other_draft = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    elsewhere = attach(cso_user, other_draft, png_with_text(), "elsewhere.png")
    other_form = store_attachment(
        cso_user, io.BytesIO(png_with_text()), "other-form.png", upload_key="z" * 30
    )
    db.session.commit()
    for target in (elsewhere, other_form):
        response = cso.post(
            f"/inputs/{draft.id}/edit", data=remove_click(remove_attachment=str(target.id))
        )
        assert response.status_code == 404
    assert (
        cso.post(new_url(consultation), data=remove_click(remove_attachment="nope")).status_code
        == 404
    )
    assert len(rows()) == 2


def test_a_submitted_inputs_file_is_refused_with_a_message(cso, cso_user, consultation):
    item = factories.make_input(consultation, cso_user)  # submitted, not claimed yet
    att = attach(cso_user, item, png_with_text(), "map.png")
    response = cso.post(
        f"/inputs/{item.id}/edit",
        data=remove_click(remove_attachment=str(att.id)),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Files can be removed only from a draft or from an input returned to you" in page
    assert "withdraw the input" in page
    assert [a.filename for a in rows()] == ["map.png"] and attachment_path(att).exists()

    # The domain rule, whatever the caller.
    with pytest.raises(services.SubmissionError, match="only from a draft"):
        services.remove_attachment(cso_user, att.id, item=item)
    db.session.rollback()


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.FORWARDED, Status.DECLINED])
def test_no_file_comes_off_an_input_past_the_moderator(cso_user, consultation, status):
    item = factories.make_input(consultation, cso_user, status=status)
    att = attach(cso_user, item, png_with_text(), "map.png")
    with pytest.raises(services.SubmissionError):
        services.remove_attachment(cso_user, att.id, item=item)
    db.session.rollback()
    assert len(rows()) == 1


def test_the_web_form_keeps_csrf(make_app, app, consultation, cso_user):
    strict = make_app(WTF_CSRF_ENABLED=True)
    client = factories.login(strict.test_client(), cso_user)
    pending = store_attachment(
        cso_user, io.BytesIO(png_with_text()), "p.png", upload_key=UPLOAD_KEY
    )
    db.session.commit()
    page = client.post(
        new_url(consultation),
        data=remove_click(remove_attachment=str(pending.id), csrf_token="forged"),
    ).get_data(as_text=True)
    assert "p.png is removed." not in page and len(rows()) == 1
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    page = client.post(
        new_url(consultation),
        data=remove_click(remove_attachment=str(pending.id), csrf_token=token),
    ).get_data(as_text=True)
    assert "p.png is removed." in page and rows() == []


# --------------------------------------------------------------------------- the API


def test_api_delete_removes_a_drafts_file(app, cso_user, draft, api_client):
    att = attach(cso_user, draft, png_with_text(), "photo.png")
    att_id, path = att.id, attachment_path(att)
    api = api_client(app, cso_user)
    response = api.delete(f"/inputs/{draft.id}/attachments/{att_id}")  # checked against OpenAPI
    assert response.status_code == 204 and response.get_data() == b""
    assert rows() == [] and not path.exists()
    assert api.get(f"/inputs/{draft.id}").get_json()["attachments"] == []
    # Gone now: the same call again is a 404.
    again = api.open("DELETE", f"/inputs/{draft.id}/attachments/{att_id}")
    assert again.status_code == 404


def test_api_delete_on_a_returned_input(app, cso_user, returned, api_client):
    att = attach(cso_user, returned, pdf_with_author(), "wrong.pdf")
    response = api_client(app, cso_user).delete(f"/inputs/{returned.id}/attachments/{att.id}")
    assert response.status_code == 204 and rows() == []
    [revision] = db.session.scalars(select(InputRevision)).all()
    assert revision.snapshot["attachments"] == [{"filename": "wrong.pdf", "removed": True}]


def test_api_delete_is_422_once_the_input_is_submitted(app, cso_user, consultation, api_client):
    item = factories.make_input(consultation, cso_user)
    att = attach(cso_user, item, png_with_text(), "map.png")
    response = api_client(app, cso_user).open("DELETE", f"/inputs/{item.id}/attachments/{att.id}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unprocessable" and "only from a draft" in error["message"]
    assert len(rows()) == 1 and attachment_path(att).exists()


def test_api_delete_is_404_out_of_scope(
    app, cso_user, consultation, draft, moderator_user, api_client
):
    other_org = factories.make_organisation("Kyiv Civic Oversight", ["UA"])
    other = factories.make_user("oksana@kcon.example.org", "cso", organisation=other_org)
    their_draft = factories.make_input(consultation, other, status=Status.DRAFT)
    theirs = attach(other, their_draft, png_with_text(), "theirs.png")
    mine_elsewhere = attach(
        cso_user,
        factories.make_input(consultation, cso_user, status=Status.DRAFT),
        png_with_text(),
        "mine.png",
    )
    pending = store_attachment(
        cso_user, io.BytesIO(png_with_text()), "p.png", upload_key=UPLOAD_KEY
    )
    db.session.commit()
    api = api_client(app, cso_user)
    for path in (
        f"/inputs/{their_draft.id}/attachments/{theirs.id}",  # another organisation's input
        f"/inputs/{draft.id}/attachments/{theirs.id}",  # their file through my input
        f"/inputs/{draft.id}/attachments/{mine_elsewhere.id}",  # a file of another input
        f"/inputs/{draft.id}/attachments/{pending.id}",  # a form's pending file
        f"/inputs/{draft.id}/attachments/not-a-uuid",
    ):
        response = api.open("DELETE", path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
    # EU staff never remove a CSO's files.
    submitted = factories.make_input(consultation, cso_user)
    att = attach(cso_user, submitted, png_with_text(), "map.png")
    staff = api_client(app, moderator_user)
    assert staff.open("DELETE", f"/inputs/{submitted.id}/attachments/{att.id}").status_code == 404
    assert len(rows()) == 4


def test_api_delete_is_described_in_openapi(app, cso_user, api_client):
    document = api_client(app, cso_user).get("/openapi.json").get_json()
    operation = document["paths"]["/inputs/{input_id}/attachments/{attachment_id}"]["delete"]
    assert operation["operationId"] == "remove_attachment"
    assert {"204", "404", "422"} <= set(operation["responses"])
