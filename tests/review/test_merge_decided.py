"""Marking as duplicate only while both inputs are open for review (decided inputs feed digests)."""

from __future__ import annotations

import pytest

from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests import factories


@pytest.fixture
def moderator(app):
    return factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")


@pytest.fixture
def other_member(app):
    org = factories.make_organisation("Gabes Women Forum", ["TN"])
    return factories.make_user("m@gabes.example.org", "cso", organisation=org)


@pytest.mark.parametrize("decided", ["target", "duplicate"])
@pytest.mark.parametrize("status", [Status.FORWARDED, Status.USED, Status.DECLINED])
def test_decided_input_cannot_take_part_in_a_merge(
    app, consultation, cso_user, other_member, moderator, decided, status
):
    target = factories.make_input(
        consultation,
        cso_user,
        title="Original point",
        status=status if decided == "target" else Status.SUBMITTED,
    )
    duplicate = factories.make_input(
        consultation,
        other_member,
        title="Same point again",
        status=status if decided == "duplicate" else Status.SUBMITTED,
    )
    client = factories.login(app.test_client(), moderator)
    response = client.post(
        f"/review/inputs/{duplicate.id}/merge",
        data={"version": duplicate.version, "target": str(target.id)},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "open for review" in page
    db.session.expire_all()
    assert db.session.get(Input, duplicate.id).merged_into_id is None
    assert db.session.get(Input, target.id).status == (
        status if decided == "target" else Status.SUBMITTED
    )


def test_decided_inputs_are_not_offered_as_merge_targets(
    app, consultation, cso_user, other_member, moderator
):
    forwarded = factories.make_input(
        consultation, cso_user, title="Already forwarded", status=Status.FORWARDED
    )
    open_one = factories.make_input(consultation, cso_user, title="Still open")
    duplicate = factories.make_input(consultation, other_member, title="Same point again")
    client = factories.login(app.test_client(), moderator)
    page = client.get(f"/review/inputs/{duplicate.id}").get_data(as_text=True)
    assert f'value="{open_one.id}"' in page
    assert f'value="{forwarded.id}"' not in page


def test_open_inputs_still_merge(app, consultation, cso_user, other_member, moderator):
    target = factories.make_input(
        consultation, cso_user, title="Original point", status=Status.IN_REVIEW
    )
    duplicate = factories.make_input(consultation, other_member, title="Same point again")
    client = factories.login(app.test_client(), moderator)
    response = client.post(
        f"/review/inputs/{duplicate.id}/merge",
        data={"version": duplicate.version, "target": str(target.id)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Input, duplicate.id).merged_into_id == target.id
