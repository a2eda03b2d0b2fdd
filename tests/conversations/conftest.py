"""Fixtures of the thread and notification tests: two organisations, their reviewers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from consult.inputs.states import Status
from tests import factories


@dataclass
class People:
    cso: object
    colleague: object
    other_cso: object
    moderator: object
    other_moderator: object
    hq: object
    item: object
    direct: object
    other_item: object


@pytest.fixture
def people(app, consultation, cso_user, moderator_user, hq_user) -> People:
    colleague = factories.make_user(
        "colleague@tcf.example.org", "cso", organisation=cso_user.organisation
    )
    other_org = factories.make_organisation("Kyiv Civic Watch", ["UA"])
    other_cso = factories.make_user("member@kcw.example.org", "cso", organisation=other_org)
    other_moderator = factories.make_user(
        "mod.ua@eeas.example.org", "moderator", delegation="eud-ua"
    )
    item = factories.make_input(consultation, cso_user, title="Policing in Gafsa")
    direct = factories.make_input(consultation, cso_user, hq_direct=True, title="At risk, to HQ")
    other_item = factories.make_input(consultation, other_cso, countries=["UA"], title="Kyiv input")
    return People(
        cso=cso_user,
        colleague=colleague,
        other_cso=other_cso,
        moderator=moderator_user,
        other_moderator=other_moderator,
        hq=hq_user,
        item=item,
        direct=direct,
        other_item=other_item,
    )


@pytest.fixture
def as_user(app, login):
    """``as_user(user)``: a fresh test client signed in as ``user``."""

    def _as(user):
        return login(app.test_client(), user)

    return _as


SUBMITTED = Status.SUBMITTED
