"""Consultations, drafts, our inputs, timeline, withdraw, revise and resubmit, scope."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input, InputRevision
from consult.inputs.states import RoutedTo, Status
from tests import factories
from tests.submissions.conftest import TOKEN, count_inputs, new_url, payload


def draft_payload(**overrides) -> dict:
    data = payload(**overrides)
    data.pop("submit")
    data["save_draft"] = "Save as draft"
    return data


# ---------------------------------------------------------------- 1. consultations


def test_open_consultations_are_listed_with_closing_dates(cso, consultation, app):
    closed = factories.make_consultation("old-one", open_=False, title="Last year round")
    page = cso.get("/consultations").get_data(as_text=True)
    assert consultation.title in page
    assert consultation.closes_at.strftime("%d %b %Y") in page
    open_part, _, closed_part = page.partition("Closed")
    assert consultation.title in open_part and closed.title in closed_part


def test_consultation_page_shows_guiding_questions_per_priority(cso, consultation):
    page = cso.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Security sector reform (incl. community security)" in page
    assert "What works in SSR?" in page
    assert "Crisis management and response (incl. conflict prevention)" in page
    assert "What early warning signs?" in page
    assert "Write an input" in page
    assert page.index("What works in SSR?") < page.index("Crisis management and response")


def test_closed_consultation_accepts_no_new_input_but_drafts_stay_readable(cso, cso_user, app):
    closed = factories.make_consultation("closed", open_=False)
    draft = factories.make_input(closed, cso_user, status=Status.DRAFT, title="Old draft")
    page = cso.get(f"/consultations/{closed.id}").get_data(as_text=True)
    assert "accepts no new inputs" in page and "Write an input" not in page
    assert "Old draft" in page
    response = cso.get(new_url(closed), follow_redirects=True)
    assert "accepts no new inputs" in response.get_data(as_text=True)
    # A submission posted anyway is refused with the message, and the text kept.
    response = cso.post(new_url(closed), data=payload())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "accepts no new inputs" in page and "Community policing in Kasserine" in page
    assert count_inputs() == 1
    # The draft is readable, not editable.
    page = cso.get(f"/inputs/{draft.id}").get_data(as_text=True)
    assert "Old draft" in page and "can no longer be sent" in page
    assert cso.get(f"/inputs/{draft.id}/edit").status_code == 302


# ---------------------------------------------------------------- 4. drafts


def test_draft_saved_with_nothing_filled_listed_and_resumable(cso, consultation):
    response = cso.post(
        new_url(consultation),
        data={"form_token": TOKEN, "body": "Half a thought", "save_draft": "Save as draft"},
    )
    assert response.status_code == 302
    item = db.session.scalar(select(Input))
    assert item.status == Status.DRAFT and item.routed_to is None
    assert response.headers["Location"].endswith(f"/inputs/{item.id}/edit")
    listing = cso.get("/my_inputs").get_data(as_text=True)
    assert "(untitled draft)" in listing and "Draft" in listing
    form = cso.get(f"/inputs/{item.id}/edit").get_data(as_text=True)
    assert "Half a thought" in form


def test_resumed_draft_keeps_every_field_and_can_be_submitted(cso, consultation):
    cso.post(new_url(consultation), data=draft_payload())
    item = db.session.scalar(select(Input))
    form = cso.get(f"/inputs/{item.id}/edit").get_data(as_text=True)
    assert "Fund joint community forums." in form
    assert "Publish police complaint statistics." in form
    assert 'value="community-security" checked' in form
    response = cso.post(
        f"/inputs/{item.id}/edit", data=payload(form_token="tok-" + "c" * 30, title="Final")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert count_inputs() == 1
    item = db.session.get(Input, item.id)
    assert item.status == Status.SUBMITTED and item.title == "Final"
    assert item.routed_to == RoutedTo.DELEGATION


def test_draft_is_never_visible_to_moderators(
    client, login, consultation, cso_user, moderator_user
):
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT, countries=["TN"])
    login(client, moderator_user)
    assert client.get(f"/inputs/{draft.id}").status_code == 404
    queue = client.get("/review/")
    assert draft.title not in queue.get_data(as_text=True)


def test_draft_can_be_deleted(cso, consultation, cso_user):
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    assert cso.post(f"/inputs/{draft.id}/delete").status_code == 302
    assert count_inputs() == 0


# ---------------------------------------------------------------- 7. our inputs


def test_our_inputs_lists_status_and_filters(cso, consultation, cso_user, app):
    other = factories.make_consultation("second", title="Second round")
    factories.make_input(consultation, cso_user, title="First submitted")
    factories.make_input(consultation, cso_user, title="A forwarded one", status=Status.FORWARDED)
    factories.make_input(other, cso_user, title="Other round draft", status=Status.DRAFT)
    page = cso.get("/my_inputs").get_data(as_text=True)
    for text in ("First submitted", "A forwarded one", "Other round draft"):
        assert text in page
    assert "Forwarded to HQ" in page and "Submitted" in page and "Draft" in page
    page = cso.get(f"/my_inputs?consultation={other.id}").get_data(as_text=True)
    assert "Other round draft" in page and "First submitted" not in page
    page = cso.get("/my_inputs?status=forwarded").get_data(as_text=True)
    assert "A forwarded one" in page and "First submitted" not in page
    page = cso.get("/my_inputs?status=declined").get_data(as_text=True)
    assert "No inputs match." in page


def test_timeline_shows_feedback_but_not_internal_events(cso, consultation, cso_user, hq_user):
    item = factories.make_input(consultation, cso_user, status=Status.USED)
    factories.add_event(
        item, EventKind.CLAIMED, "internal note for staff", visible=False, actor=hq_user
    )
    factories.add_event(item, EventKind.FORWARDED, None)
    factories.add_event(item, EventKind.USED, "Quoted in the 2026 progress report.", actor=hq_user)
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert "Used by HQ" in page
    assert 'How HQ used it: <span dir="auto">Quoted in the 2026 progress report.</span>' in page
    assert "Forwarded to EU headquarters" in page
    assert "internal note for staff" not in page
    assert hq_user.email not in page and "HQ Analyst" not in page


def test_decline_reason_is_shown(cso, consultation, cso_user):
    item = factories.make_input(consultation, cso_user, status=Status.DECLINED)
    factories.add_event(item, EventKind.DECLINED, "Out of the consultation's scope.")
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert 'Reason: <span dir="auto">Out of the consultation&#39;s scope.</span>' in page


def test_withdraw_until_claimed(cso, consultation, cso_user, moderator_user):
    item = factories.make_input(consultation, cso_user)
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert "Withdraw this input" in page
    claimed = factories.make_input(
        consultation, cso_user, status=Status.IN_REVIEW, claimed_by_id=moderator_user.id
    )
    page = cso.get(f"/inputs/{claimed.id}").get_data(as_text=True)
    assert "Withdraw this input" not in page
    response = cso.post(f"/inputs/{claimed.id}/withdraw", follow_redirects=True)
    assert "can no longer be withdrawn" in response.get_data(as_text=True)
    assert cso.post(f"/inputs/{item.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Input, item.id).status == Status.WITHDRAWN
    assert db.session.get(Input, claimed.id).status == Status.IN_REVIEW
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert "Withdrawn by your organisation" in page


# ---------------------------------------------------------------- 8. returned inputs


def test_returned_input_is_revised_and_resubmitted_keeping_the_earlier_version(
    cso, consultation, cso_user
):
    item = factories.make_input(consultation, cso_user, status=Status.RETURNED, title="First go")
    item.reviewed_body = "redacted earlier body"
    db.session.commit()
    factories.add_event(item, EventKind.RETURNED, "Which districts do you mean?")
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert 'The moderator asks:</strong> <span dir="auto">Which districts do you mean?' in page
    form = cso.get(f"/inputs/{item.id}/revise").get_data(as_text=True)
    assert "Which districts do you mean?" in form and "First go" in form
    response = cso.post(
        f"/inputs/{item.id}/revise",
        data=payload(title="Second go", body="Kasserine and Gafsa.", submit=None, resubmit="x"),
        follow_redirects=True,
    )
    assert "Your revision is sent." in response.get_data(as_text=True)
    db.session.expire_all()
    item = db.session.get(Input, item.id)
    assert item.status == Status.SUBMITTED and item.title == "Second go" and item.revision == 2
    assert item.reviewed_body is None
    revisions = db.session.scalars(select(InputRevision)).all()
    assert len(revisions) == 1 and revisions[0].snapshot["title"] == "First go"
    kinds = [e.kind for e in item.events]
    assert kinds[-1] == EventKind.RESUBMITTED
    # Sent again: nothing to revise any more.
    assert cso.get(f"/inputs/{item.id}/revise").status_code == 302


def test_only_returned_inputs_can_be_revised(cso, consultation, cso_user):
    item = factories.make_input(consultation, cso_user)
    cso.post(f"/inputs/{item.id}/revise", data=payload(title="Sneaky", submit=None, resubmit="x"))
    db.session.expire_all()
    assert db.session.get(Input, item.id).title != "Sneaky"
    assert db.session.scalar(select(func.count()).select_from(InputRevision)) == 0


# ---------------------------------------------------------------- 9. scope


def test_another_organisations_input_is_404_everywhere(client, login, consultation, cso_user):
    item = factories.make_input(consultation, cso_user)
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    returned = factories.make_input(consultation, cso_user, status=Status.RETURNED)
    other_org = factories.make_organisation("Kyiv Civic Oversight Network", ["UA"])
    other = factories.make_user("oksana@kcon.example.org", "cso", organisation=other_org)
    login(client, other)
    assert client.get(f"/inputs/{item.id}").status_code == 404
    assert client.get(f"/inputs/{draft.id}/edit").status_code == 404
    assert client.get(f"/inputs/{returned.id}/revise").status_code == 404
    assert client.post(f"/inputs/{item.id}/withdraw").status_code == 404
    assert client.post(f"/inputs/{draft.id}/delete").status_code == 404
    assert client.post(f"/inputs/{draft.id}/edit", data=payload()).status_code == 404
    assert item.title not in client.get("/my_inputs").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Input, item.id).status == Status.SUBMITTED
    assert db.session.get(Input, draft.id) is not None


def test_staff_cannot_open_the_cso_pages(client, login, consultation, hq_user):
    login(client, hq_user)
    assert client.get("/consultations").status_code == 404
    assert client.get(new_url(consultation)).status_code == 404
    assert client.get("/my_inputs").status_code == 404
