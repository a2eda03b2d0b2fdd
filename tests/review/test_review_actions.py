"""Claiming, reviewing, redacting, merging, deciding, HQ feedback and the audit trail."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.review.findings import dismiss_findings, field_findings
from tests import factories


@pytest.fixture
def colleague(app):
    return factories.make_user(
        "colleague.tn@eeas.example.org",
        "moderator",
        delegation="eud-tn",
        full_name="Sami Colleague",
    )


@pytest.fixture
def moderator(app):
    return factories.make_user(
        "mod.tn@eeas.example.org", "moderator", delegation="eud-tn", full_name="Nadia Moderator"
    )


@pytest.fixture
def item(consultation, cso_user):
    return factories.make_input(
        consultation,
        cso_user,
        title="Community policing in Kasserine",
        body="Contact me at amira@tcf-example.org or +216 71 234 567. Police rarely meet youth.",
        recommendations=(("eu", "Fund forums; ask Dr Salma Ben Ali."),),
    )


def client_for(app, user):
    return factories.login(app.test_client(), user)


def fresh(item: Input) -> Input:
    db.session.expire_all()
    return db.session.get(Input, item.id)


def events(item: Input) -> list[ReviewEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ReviewEvent).where(ReviewEvent.input_id == item.id).order_by(ReviewEvent.id)
        )
    )


def clear_findings(item: Input, moderator) -> None:
    """Dismiss every possible identifier, so the input may be forwarded."""
    keys = [f.key for f in field_findings(fresh(item))]
    dismiss_findings(moderator, fresh(item), keys, version=None)
    db.session.commit()


def audit_actions(item: Input) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_id == str(item.id))
            .order_by(AuditEvent.id)
        )
    )


# --- 3. claiming --------------------------------------------------------------


def test_claim_shows_the_holder_to_colleagues_and_release_frees_it(app, item, moderator, colleague):
    mod = client_for(app, moderator)
    response = mod.post(f"/review/inputs/{item.id}/claim", data={"version": item.version})
    assert response.status_code == 302
    assert fresh(item).claimed_by_id == moderator.id
    assert fresh(item).status == Status.IN_REVIEW
    assert "You hold this input" in mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)

    other = client_for(app, colleague)
    page = other.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Held by Nadia Moderator" in page
    assert "Take over" in page
    queue = other.get("/review/queue").get_data(as_text=True)
    assert "Nadia Moderator" in queue

    # A colleague cannot claim or release what someone else holds.
    other.post(f"/review/inputs/{item.id}/claim", data={"version": fresh(item).version})
    assert fresh(item).claimed_by_id == moderator.id
    other.post(f"/review/inputs/{item.id}/release", data={"version": fresh(item).version})
    assert fresh(item).claimed_by_id == moderator.id

    mod.post(f"/review/inputs/{item.id}/release", data={"version": fresh(item).version})
    assert fresh(item).claimed_by_id is None
    assert [e.kind for e in events(item)] == ["submitted", "claimed", "released"]
    assert "input.claimed" in audit_actions(item) and "input.released" in audit_actions(item)


def test_colleague_takes_over_and_the_event_is_recorded(app, item, moderator, colleague):
    client_for(app, moderator).post(f"/review/inputs/{item.id}/claim", data={"version": 1})
    other = client_for(app, colleague)
    response = other.post(
        f"/review/inputs/{item.id}/take-over", data={"version": fresh(item).version}
    )
    assert response.status_code == 302
    assert fresh(item).claimed_by_id == colleague.id
    taken = events(item)[-1]
    assert taken.kind == "taken_over" and taken.actor_id == colleague.id
    assert taken.data["previous_holder"] == str(moderator.id)
    assert not taken.is_visible_to_cso
    page = other.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Sami Colleague: took it over" in page
    assert "input.taken_over" in audit_actions(item)


def test_moderator_of_another_delegation_cannot_take_over(app, item, moderator):
    client_for(app, moderator).post(f"/review/inputs/{item.id}/claim", data={"version": 1})
    stranger = factories.make_user("mod.ua@eeas.example.org", "moderator", delegation="eud-ua")
    response = client_for(app, stranger).post(
        f"/review/inputs/{item.id}/take-over", data={"version": fresh(item).version}
    )
    assert response.status_code == 404
    assert fresh(item).claimed_by_id == moderator.id


def test_deciding_needs_the_claim_when_someone_else_holds_it(app, item, moderator, colleague):
    client_for(app, moderator).post(f"/review/inputs/{item.id}/claim", data={"version": 1})
    response = client_for(app, colleague).post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "forward"},
    )
    assert response.status_code == 400
    assert "Nadia Moderator is working on this input" in response.get_data(as_text=True)
    assert fresh(item).status == Status.IN_REVIEW


# --- 4. reviewing: corrections, redaction, identifiers, merge ----------------------


def _edit_data(item: Input, **override):
    data = {
        "version": item.version,
        "priority": item.priority_slug,
        "input_type": item.type_slug,
        "main_country": item.country_codes[0],
        "other_countries": item.country_codes[1:],
        "themes": [t.slug for t in item.themes],
        "moderator_summary": item.moderator_summary or "",
        "reviewed_title": item.effective_title,
        "reviewed_body": item.effective_body,
        "passages": "",
    }
    for rec in item.recommendations:
        data[f"rec-{rec.id}"] = rec.effective_text
    data.update(override)
    return data


def test_corrections_of_priority_countries_type_themes_and_summary(app, item, moderator):
    mod = client_for(app, moderator)
    version_before = item.version
    response = mod.post(
        f"/review/inputs/{item.id}/edit",
        data=_edit_data(
            item,
            priority="crisis",
            input_type="recommendation",
            other_countries=["LY"],
            themes=["youth", "rule-of-law"],
            moderator_summary="Police-community forums work; scale them.",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = fresh(item)
    assert saved.priority_slug == "crisis"
    assert saved.type_slug == "recommendation"
    assert saved.country_codes == ["TN", "LY"]
    assert sorted(t.slug for t in saved.themes) == ["rule-of-law", "youth"]
    assert saved.moderator_summary == "Police-community forums work; scale them."
    assert saved.version > version_before
    corrected = events(item)[-1]
    assert corrected.kind == "corrected"
    fields = {c["field"] for c in corrected.data["changes"]}
    assert fields == {"priority", "type", "countries", "themes", "moderator_summary"}
    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    # The timeline says it in words people use: names, not slugs, one verb per change.
    assert (
        "changed the priority from Security sector reform (incl. community security) "
        "to Crisis management and response (incl. conflict prevention)" in page
    )
    assert "changed the type from Context analysis to Recommendation" in page
    assert "changed the themes from - to Youth, Rule of law" in page
    assert "edited the moderator summary" in page
    assert "changed edited" not in page and "from ssr" not in page
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "input.corrected")
    ).one()
    assert set(audit.detail["fields"]) == fields


def test_main_country_ticked_again_under_other_countries_counts_once(app, item, moderator):
    mod = client_for(app, moderator)
    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Ticking the main country here as well changes nothing" in page
    response = mod.post(
        f"/review/inputs/{item.id}/edit",
        data=_edit_data(item, other_countries=["TN", "LY", "TN"]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert fresh(item).country_codes == ["TN", "LY"]


def test_moderator_cannot_move_the_main_country_out_of_the_delegation(app, item, moderator):
    response = client_for(app, moderator).post(
        f"/review/inputs/{item.id}/edit", data=_edit_data(item, main_country="UA")
    )
    assert response.status_code == 400
    assert "main) country must be one your delegation covers" in response.get_data(as_text=True)
    assert fresh(item).country_codes == ["TN"]


def test_invalid_edit_keeps_what_was_typed(app, item, moderator):
    response = client_for(app, moderator).post(
        f"/review/inputs/{item.id}/edit",
        data=_edit_data(item, reviewed_title="", moderator_summary="My careful summary"),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "My careful summary" in page
    assert "Please correct the following" in page
    assert fresh(item).moderator_summary is None


def test_redacting_a_passage_keeps_the_sealed_original(app, item, moderator, hq_user, admin_user):
    mod = client_for(app, moderator)
    original_body = item.body
    response = mod.post(
        f"/review/inputs/{item.id}/edit",
        data=_edit_data(item, passages="amira@tcf-example.org\nDr Salma Ben Ali"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = fresh(item)
    assert saved.body == original_body  # sealed
    assert saved.recommendations[0].text == "Fund forums; ask Dr Salma Ben Ali."
    assert "amira@tcf-example.org" not in saved.reviewed_body
    assert "[redacted]" in saved.reviewed_body
    assert saved.recommendations[0].effective_text == "Fund forums; ask [redacted]."
    assert saved.is_redacted

    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "amira@tcf-example.org" not in page
    assert "Salma" not in page
    redacted = [e for e in events(item) if e.kind == "redacted"]
    assert redacted and redacted[0].data["count"] == 2

    # The original is for admins only; each view is audited.
    assert mod.get(f"/review/inputs/{item.id}/original").status_code == 404
    assert client_for(app, hq_user).get(f"/review/inputs/{item.id}/original").status_code == 404
    admin = client_for(app, admin_user)
    original = admin.get(f"/review/inputs/{item.id}/original")
    assert original.status_code == 200
    assert "amira@tcf-example.org" in original.get_data(as_text=True)
    admin.get(f"/review/inputs/{item.id}/original")
    assert audit_actions(item).count("input.original_viewed") == 2
    assert "input.redacted" in audit_actions(item)


def test_identifiers_are_marked_and_only_confirmed_ones_redacted(app, item, moderator):
    mod = client_for(app, moderator)
    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    marks = re.findall(r'<mark class="identifier" id="([^"]+)">([^<]+)</mark>', page)
    assert ("mark-body-0", "amira@tcf-example.org") in marks
    assert any(text.strip() == "+216 71 234 567" for _id, text in marks)
    assert any("Salma Ben Ali" in text for _id, text in marks)
    assert "<script" not in page
    boxes = {
        label_for: value
        for value, label_for in re.findall(
            r'name="redact" id="[^"]+" value="([^"]+)">\s*<label for="[^"]+"><a href="#([^"]+)"',
            page,
        )
    }
    email_box = boxes["mark-body-0"]
    response = mod.post(
        f"/review/inputs/{item.id}/identifiers",
        data={"version": item.version, "redact": [email_box]},
    )
    assert response.status_code == 302
    saved = fresh(item)
    assert "amira@tcf-example.org" not in saved.reviewed_body
    assert "+216 71 234 567" in saved.reviewed_body  # not ticked: kept
    assert saved.body == item.body
    assert audit_actions(item).count("input.redacted") == 1
    detail = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "input.redacted")
    ).one()
    assert detail == {"count": 1, "fields": ["body"]}


def test_registered_organisation_names_are_flagged(app, consultation, cso_user, moderator):
    factories.make_organisation("Sfax Youth Network", ["TN"])
    item = factories.make_input(
        consultation, cso_user, body="We work with the Sfax Youth Network on forums."
    )
    page = client_for(app, moderator).get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert '<mark class="identifier" id="mark-body-0">Sfax Youth Network</mark>' in page


def test_merge_marks_a_duplicate_and_both_keep_status_and_timeline(
    app, consultation, cso_user, moderator
):
    other_org = factories.make_organisation("Gabes Women Forum", ["TN"])
    other_member = factories.make_user("m@gabes.example.org", "cso", organisation=other_org)
    target = factories.make_input(consultation, cso_user, title="Original point")
    duplicate = factories.make_input(consultation, other_member, title="Same point again")
    mod = client_for(app, moderator)
    page = mod.get(f"/review/inputs/{duplicate.id}").get_data(as_text=True)
    assert f'value="{target.id}"' in page
    response = mod.post(
        f"/review/inputs/{duplicate.id}/merge",
        data={"version": duplicate.version, "target": str(target.id)},
    )
    assert response.status_code == 302
    dup, tgt = fresh(duplicate), db.session.get(Input, target.id)
    assert dup.merged_into_id == target.id
    assert dup.status == Status.SUBMITTED and tgt.status == Status.SUBMITTED
    assert [e.kind for e in events(duplicate)] == ["submitted", "merged"]
    assert [e.kind for e in events(target)] == ["submitted", "merged"]
    assert not any(e.is_visible_to_cso for e in events(target) if e.kind == "merged")
    page = mod.get(f"/review/inputs/{target.id}").get_data(as_text=True)
    assert "Same point again" in page  # listed as a duplicate
    # A duplicate of an input in another delegation is out of reach (404).
    ua_org = factories.make_organisation("Kyiv Group", ["UA"])
    ua_member = factories.make_user("m@kyiv.example.org", "cso", organisation=ua_org)
    elsewhere = factories.make_input(consultation, ua_member, title="Ukrainian")
    response = mod.post(
        f"/review/inputs/{target.id}/merge",
        data={"version": fresh(target).version, "target": str(elsewhere.id)},
    )
    assert response.status_code == 404


# --- 5. decisions -------------------------------------------------------------------


def test_forward_with_a_note_to_hq(app, item, moderator, hq_user):
    mod = client_for(app, moderator)
    clear_findings(item, moderator)
    response = mod.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "forward", "hq_note": "Strong on youth."},
    )
    assert response.status_code == 302
    saved = fresh(item)
    assert saved.status == Status.FORWARDED and saved.forwarded_at is not None
    assert saved.hq_note == "Strong on youth."
    forwarded = events(item)[-1]
    assert forwarded.kind == "forwarded" and forwarded.actor_id == moderator.id
    assert forwarded.is_visible_to_cso and forwarded.message is None  # the note is for HQ
    hq = client_for(app, hq_user)
    assert "Community policing in Kasserine" in hq.get("/review/forwarded").get_data(as_text=True)
    page = hq.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Strong on youth." in page
    assert "input.forwarded" in audit_actions(item)
    # Nobody holds a forwarded input: no empty "who works on it" box.
    assert "claim-box" not in page and "Who works on it" not in page
    assert "<dd>English</dd>" in page  # the language's name, not its code
    # HQ sees the identifiers the moderator left, and what digests do with them.
    assert "+216 71 234 567" in page
    assert "External digests replace whatever the detector finds with [redacted]" in page


def test_return_needs_a_question_the_cso_sees(app, item, moderator):
    mod = client_for(app, moderator)
    empty = mod.post(
        f"/review/inputs/{item.id}/decide", data={"version": item.version, "action": "return"}
    )
    assert empty.status_code == 400
    assert "Write the question for the CSO" in empty.get_data(as_text=True)
    assert fresh(item).status == Status.SUBMITTED
    data = {"version": item.version, "action": "return", "question": "Which districts do you mean?"}
    confirm = mod.post(f"/review/inputs/{item.id}/decide", data=data)
    assert confirm.status_code == 200 and "Return this input?" in confirm.get_data(as_text=True)
    assert fresh(item).status == Status.SUBMITTED  # not before it is confirmed
    mod.post(f"/review/inputs/{item.id}/decide", data=data | {"confirmed": "yes"})
    assert fresh(item).status == Status.RETURNED
    returned = events(item)[-1]
    assert returned.kind == "returned" and returned.is_visible_to_cso
    assert returned.message == "Which districts do you mean?"
    # Staff read the status from their side: it went back to the CSO, not to "you".
    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    queue = mod.get("/review/queue?status=all").get_data(as_text=True)
    for html in (page, queue):
        assert "Returned to the CSO" in html
        assert "Returned to you" not in html


def test_decline_needs_a_reason_from_the_list(app, item, moderator):
    mod = client_for(app, moderator)
    page = mod.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert 'value="out-of-scope"' in page
    missing = mod.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": item.version, "action": "decline", "explanation": "Not about security."},
    )
    assert missing.status_code == 400
    assert "Not about security." in missing.get_data(as_text=True)  # kept
    mod.post(
        f"/review/inputs/{item.id}/decide",
        data={
            "version": item.version,
            "action": "decline",
            "reason": "out-of-scope",
            "explanation": "Not about security.",
            "confirmed": "yes",
        },
    )
    assert fresh(item).status == Status.DECLINED
    declined = events(item)[-1]
    assert declined.is_visible_to_cso and declined.data["reason"] == "out-of-scope"
    assert declined.message == "Outside the scope of this consultation. Not about security."
    detail = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "input.declined")
    ).one()
    assert detail == {"reason": "out-of-scope"}


def test_cso_sees_each_outcome(app, consultation, cso_user, moderator):
    """The CSO's own pages (submissions) show the status and the message meant for them."""
    returned = factories.make_input(consultation, cso_user, title="To be returned")
    declined = factories.make_input(consultation, cso_user, title="To be declined")
    mod = client_for(app, moderator)
    mod.post(
        f"/review/inputs/{returned.id}/decide",
        data={
            "version": 1,
            "action": "return",
            "question": "Which districts exactly?",
            "confirmed": "yes",
        },
    )
    mod.post(
        f"/review/inputs/{declined.id}/decide",
        data={
            "version": 1,
            "action": "decline",
            "reason": "insufficient",
            "explanation": "",
            "confirmed": "yes",
        },
    )
    cso = client_for(app, cso_user)
    page = cso.get(f"/inputs/{returned.id}").get_data(as_text=True)
    assert "Returned to you" in page and "Which districts exactly?" in page
    page = cso.get(f"/inputs/{declined.id}").get_data(as_text=True)
    assert "Declined" in page and "Not enough information to act on" in page
    # What is for EU staff only (claims, corrections) stays off the CSO's page.
    assert "Nadia Moderator" not in page


def test_bulk_forward_from_the_queue(app, consultation, cso_user, moderator, colleague):
    first = factories.make_input(consultation, cso_user, title="First")
    second = factories.make_input(consultation, cso_user, title="Second")
    held = factories.make_input(consultation, cso_user, title="Held by a colleague")
    left = factories.make_input(consultation, cso_user, title="Not ticked")
    client_for(app, colleague).post(f"/review/inputs/{held.id}/claim", data={"version": 1})
    mod = client_for(app, moderator)
    queue = mod.get("/review/queue").get_data(as_text=True)
    values = dict(re.findall(r'name="selected" id="select-([0-9a-f-]+)" value="([^"]+)"', queue))
    response = mod.post(
        "/review/bulk-forward",
        data={
            "selected": [values[str(first.id)], values[str(second.id)], values[str(held.id)]],
            "return_to": "/review/queue?status=all",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/review/queue?status=all")
    assert fresh(first).status == Status.FORWARDED
    assert fresh(second).status == Status.FORWARDED
    assert fresh(held).status == Status.IN_REVIEW
    assert fresh(left).status == Status.SUBMITTED
    flashed = mod.get("/review/queue?status=all").get_data(as_text=True)
    assert "2 inputs forwarded to HQ." in flashed
    assert "Sami Colleague is working on this input" in flashed
    # A stale version in the queue is skipped, not applied.
    stale = factories.make_input(consultation, cso_user, title="Changed meanwhile")
    mod.post(f"/review/inputs/{stale.id}/claim", data={"version": 1})
    mod.post("/review/bulk-forward", data={"selected": [f"{stale.id}:1"]})
    assert fresh(stale).status == Status.IN_REVIEW


def test_bulk_forward_of_an_input_out_of_scope_is_404(app, consultation, moderator):
    ua_org = factories.make_organisation("Kyiv Group", ["UA"])
    ua_member = factories.make_user("m@kyiv.example.org", "cso", organisation=ua_org)
    theirs = factories.make_input(consultation, ua_member)
    response = client_for(app, moderator).post(
        "/review/bulk-forward", data={"selected": [f"{theirs.id}:1"]}
    )
    assert response.status_code == 404
    assert fresh(theirs).status == Status.SUBMITTED


# --- 2 and 7. HQ works its queue and records how inputs were used --------------------


def test_hq_works_an_hq_direct_input(app, consultation, hq_user):
    org = factories.make_organisation("Hidden Shelter Collective", ["TN"])
    member = factories.make_user("m@hidden.example.org", "cso", organisation=org)
    direct = factories.make_input(consultation, member, title="Direct", hq_direct=True)
    hq = client_for(app, hq_user)
    page = hq.get(f"/review/inputs/{direct.id}").get_data(as_text=True)
    assert "Hidden Shelter Collective" in page and "Claim" in page
    hq.post(f"/review/inputs/{direct.id}/claim", data={"version": 1})
    hq.post(
        f"/review/inputs/{direct.id}/decide",
        data={"version": fresh(direct).version, "action": "forward"},
    )
    assert fresh(direct).status == Status.FORWARDED


def test_hq_cannot_decide_on_a_delegation_input(app, item, hq_user, moderator):
    clear_findings(item, moderator)
    client_for(app, moderator).post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "forward"},
    )
    hq = client_for(app, hq_user)
    response = hq.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "decline", "reason": "other"},
    )
    assert response.status_code == 400
    assert fresh(item).status == Status.FORWARDED


def test_hq_feedback_marks_used_and_the_cso_sees_the_note(app, item, moderator, hq_user, cso_user):
    clear_findings(item, moderator)
    client_for(app, moderator).post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "forward"},
    )
    hq = client_for(app, hq_user)
    page = hq.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "How HQ used this input" in page
    empty = hq.post(
        f"/review/inputs/{item.id}/feedback", data={"version": fresh(item).version, "note": ""}
    )
    assert empty.status_code == 400
    note = "Reflected in the partnership priorities with Tunisia."
    response = hq.post(
        f"/review/inputs/{item.id}/feedback", data={"version": fresh(item).version, "note": note}
    )
    assert response.status_code == 302
    saved = fresh(item)
    assert saved.status == Status.USED and saved.hq_feedback == note
    used = events(item)[-1]
    assert used.kind == "used" and used.is_visible_to_cso and used.message == note
    cso_page = client_for(app, cso_user).get(f"/inputs/{item.id}").get_data(as_text=True)
    assert note in cso_page
    # Moderators cannot record feedback.
    mod = client_for(app, moderator)
    assert mod.post(f"/review/inputs/{item.id}/feedback", data={"note": "x"}).status_code == 404


# --- 8. the audit trail -----------------------------------------------------------


def test_every_view_and_action_is_audited_without_text_or_addresses(app, item, moderator, hq_user):
    mod = client_for(app, moderator)
    mod.get(f"/review/inputs/{item.id}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    mod.post(f"/review/inputs/{item.id}/claim", data={"version": 1})
    mod.post(
        f"/review/inputs/{item.id}/edit",
        data=_edit_data(fresh(item), priority="crisis", passages="amira@tcf-example.org"),
    )
    keys = [f.key for f in field_findings(fresh(item))]
    mod.post(
        f"/review/inputs/{item.id}/findings/dismiss",
        data={"version": fresh(item).version, "redact": keys},
    )
    mod.post(
        f"/review/inputs/{item.id}/decide",
        data={"version": fresh(item).version, "action": "forward", "hq_note": "Secret note"},
    )
    client_for(app, hq_user).get(f"/review/inputs/{item.id}")
    actions = audit_actions(item)
    for action in (
        "input.viewed",
        "input.claimed",
        "input.corrected",
        "input.redacted",
        "input.findings_dismissed",
        "input.forwarded",
    ):
        assert action in actions, action
    rows = db.session.scalars(select(AuditEvent)).all()
    viewers = {r.actor_id for r in rows if r.action == "input.viewed"}
    assert viewers == {moderator.id, hq_user.id}
    dumped = json.dumps([[r.action, r.detail] for r in rows])
    for secret in ("amira", "203.0.113.9", "Secret note", "Kasserine", "Police"):
        assert secret not in dumped
    assert all(r.created_at is not None and r.actor_role for r in rows)


def test_every_review_page_is_guarded_and_anonymous_visitors_sign_in(app, client, item):
    from consult.access import GUARD_ATTR

    review_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("review.")]
    assert len(review_rules) >= 12
    for rule in review_rules:
        assert getattr(app.view_functions[rule.endpoint], GUARD_ATTR, None), rule.endpoint
    for url in ("/review/queue", f"/review/inputs/{item.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    # A CSO member gets 404 on the review pages, even for their own input.
    cso = factories.login(app.test_client(), db.session.get(type(item.author), item.author_id))
    assert cso.get("/review/queue").status_code == 404
    assert cso.get(f"/review/inputs/{item.id}").status_code == 404
