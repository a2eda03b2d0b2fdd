"""The state machine of an input: its table, the README's diagram, the database's checks."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.inputs.transitions import TRANSITIONS, TransitionError, state_diagram, transition
from consult.submissions import services
from consult.submissions.rules import SubmissionError
from tests import factories

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_state_diagram_is_the_transition_table():
    blocks = re.findall(r"```mermaid\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert state_diagram() in blocks, (
        "README.md's state diagram differs from consult/inputs/transitions.py: paste this:\n"
        + state_diagram()
    )


def test_every_status_but_draft_is_reached_by_a_move():
    reached = {move.target for move in TRANSITIONS}
    assert reached == set(Status) - {Status.DRAFT}


def test_a_move_outside_the_table_is_refused_and_changes_nothing(
    consultation, cso_user, moderator_user
):
    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    with pytest.raises(TransitionError):
        transition(item, Status.FORWARDED, moderator_user, EventKind.FORWARDED)
    assert item.status == Status.DRAFT
    assert [e.kind for e in item.events] == []


def test_a_move_records_its_event_and_bumps_the_version(consultation, cso_user, moderator_user):
    item = factories.make_input(consultation, cso_user)
    before = item.version
    transition(item, Status.IN_REVIEW, moderator_user, EventKind.CLAIMED)
    db.session.commit()
    db.session.refresh(item)
    assert item.status == Status.IN_REVIEW
    assert item.version == before + 1
    assert item.events[-1].kind == EventKind.CLAIMED
    assert item.events[-1].data == {"version": before}
    assert item.events[-1].is_visible_to_cso is False


@pytest.mark.parametrize(
    ("column", "value"), [("status", "archived"), ("attribution", "anonymous")]
)
def test_the_database_refuses_an_unknown_status_or_attribution(
    consultation, cso_user, column, value
):
    item = factories.make_input(consultation, cso_user)
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(f"UPDATE inputs SET {column} = :value WHERE id = :id"),
            {"value": value, "id": item.id.hex if db.engine.name == "sqlite" else item.id},
        )
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Input, item.id).status == Status.SUBMITTED


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, "PNG")
    out.seek(0)
    return out


def test_add_attachment_attaches_to_a_draft(consultation, cso_user):
    item = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    attachment = services.add_attachment(cso_user, item, _png(), "map.png")
    db.session.commit()
    assert [a.id for a in item.attachments] == [attachment.id]
    assert attachment.filename == "map.png"


def test_add_attachment_refuses_an_input_already_sent(consultation, cso_user):
    item = factories.make_input(consultation, cso_user, status=Status.SUBMITTED)
    with pytest.raises(SubmissionError, match="draft or to an input returned"):
        services.add_attachment(cso_user, item, _png(), "map.png")
    db.session.rollback()
    assert item.attachments == []
