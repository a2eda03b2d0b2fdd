"""The submission services called directly: routing, idempotency races, rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import RoutedTo, Status
from consult.submissions import drafts, services
from consult.submissions.services import InputData, SubmissionError
from tests import factories
from tests.submissions.conftest import new_url, payload


def complete(consultation, **overrides) -> InputData:
    values = {
        "consultation": consultation,
        "priority_slug": "ssr",
        "country_codes": ["UA", "MD"],
        "level_slug": "local",
        "type_slug": "good-practice",
        "title": "Oversight councils",
        "body": "Civic councils oversee local police.",
        "recommendations": [("eu", "Support the councils."), ("csos", "Share the method.")],
        "theme_slugs": ["oversight"],
    }
    values.update(overrides)
    return InputData(**values)


def test_routing_follows_the_first_country(consultation, cso_user):
    item = services.submit_input(cso_user, complete(consultation))
    assert (item.routed_to, item.delegation_slug) == (RoutedTo.DELEGATION, "eud-ua")
    item = services.submit_input(cso_user, complete(consultation, country_codes=["MD", "UA"]))
    assert item.delegation_slug == "eud-md"
    item = services.submit_input(cso_user, complete(consultation, country_codes=["SY", "UA"]))
    assert (item.routed_to, item.delegation_slug) == (RoutedTo.HQ, None)
    item = services.submit_input(cso_user, complete(consultation, is_hq_direct=True))
    assert (item.routed_to, item.delegation_slug) == (RoutedTo.HQ, None)


def test_a_repeated_key_returns_the_first_input(consultation, cso_user):
    first = services.submit_input(cso_user, complete(consultation), idempotency_key="k" * 20)
    db.session.commit()
    again = services.submit_input(
        cso_user, complete(consultation, title="Changed"), idempotency_key="k" * 20
    )
    assert again.id == first.id and again.title == "Oversight councils"


def test_a_lost_race_on_the_key_returns_the_winner(consultation, cso_user, monkeypatch):
    winner = services.submit_input(cso_user, complete(consultation), idempotency_key="r" * 20)
    db.session.commit()
    real = drafts.input_by_key
    calls = []

    def not_yet_seen(key):  # the other request commits between check and insert
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(drafts, "input_by_key", not_yet_seen)
    result = services.submit_input(cso_user, complete(consultation), idempotency_key="r" * 20)
    db.session.commit()
    assert result.id == winner.id
    assert db.session.scalar(select(func.count()).select_from(Input)) == 1


def test_another_organisations_key_is_not_returned(consultation, cso_user):
    services.submit_input(cso_user, complete(consultation), idempotency_key="o" * 20)
    db.session.commit()
    other_org = factories.make_organisation("Other", ["UA"])
    other = factories.make_user("x@other.example.org", "cso", organisation=other_org)
    with pytest.raises(SubmissionError):
        services.submit_input(other, complete(consultation), idempotency_key="o" * 20)


def test_errors_are_by_field(consultation, cso_user):
    with pytest.raises(SubmissionError) as caught:
        services.submit_input(
            cso_user,
            complete(consultation, title="", country_codes=["ZZ"], recommendations=[]),
        )
    assert set(caught.value.fields) == {"title", "country_codes", "recommendations"}


def test_staff_cannot_submit(consultation, moderator_user):
    with pytest.raises(SubmissionError):
        services.save_draft(moderator_user, complete(consultation))


def test_withdrawn_input_cannot_be_withdrawn_again(consultation, cso_user):
    item = factories.make_input(consultation, cso_user, status=Status.WITHDRAWN)
    with pytest.raises(SubmissionError):
        services.withdraw(cso_user, item)


def test_submit_rate_limit_keeps_the_text(make_app, consultation, cso_user):
    app = make_app(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per hour")
    client = factories.login(app.test_client(), cso_user)
    for number in range(2):
        response = client.post(new_url(consultation), data=payload(form_token=f"tok-{number:030d}"))
        assert response.status_code == 302
    response = client.post(
        new_url(consultation), data=payload(form_token="tok-" + "9" * 30, title="Third one")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many submissions" in page and "Third one" in page
    # Saving a draft is not limited.
    data = payload(form_token="tok-" + "8" * 30)
    data.pop("submit")
    data["save_draft"] = "Save as draft"
    assert client.post(new_url(consultation), data=data).status_code == 302
