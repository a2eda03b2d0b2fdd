"""An expired CSRF token or session at submit time never loses the typed text."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import Status
from tests import factories
from tests.submissions.conftest import count_inputs, new_url, payload, text_url

LONG_BODY = "An hour of careful writing about community security. " * 40


def csrf_from(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def csrf_app(make_app, app):
    return make_app(WTF_CSRF_ENABLED=True)


def test_expired_csrf_token_keeps_the_text_and_asks_to_confirm(csrf_app, consultation, cso_user):
    client = factories.login(csrf_app.test_client(), cso_user)
    client.get(new_url(consultation))
    response = client.post(
        new_url(consultation), data=payload(body=LONG_BODY, csrf_token="expired-or-forged")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please confirm" in page and "nothing was saved yet" in page
    assert LONG_BODY.strip() in page
    assert "Fund joint community forums." in page
    assert count_inputs() == 0
    # Confirming (the page carries a fresh token) submits it.
    response = client.post(
        new_url(consultation), data=payload(body=LONG_BODY, csrf_token=csrf_from(page))
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Input.status)) == Status.SUBMITTED


def test_signed_out_post_keeps_the_text_and_signs_in_on_the_form(csrf_app, consultation, cso_user):
    client = csrf_app.test_client()  # the session cookie is gone
    response = client.post(new_url(consultation), data=payload(body=LONG_BODY))
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Your session ended before this was saved" in page
    assert LONG_BODY.strip() in page and "Publish police complaint statistics." in page
    assert 'name="reauth_password"' in page
    assert count_inputs() == 0

    # A wrong password: still nothing lost.
    data = payload(body=LONG_BODY, csrf_token=csrf_from(page))
    data.update(reauth_email=cso_user.email, reauth_password="wrong password")
    response = client.post(new_url(consultation), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "do not match an active account" in page and LONG_BODY.strip() in page

    data = payload(body=LONG_BODY, csrf_token=csrf_from(page))
    data.update(reauth_email=cso_user.email, reauth_password=factories.PASSWORD)
    response = client.post(new_url(consultation), data=data)
    assert response.status_code == 302
    item = db.session.scalar(select(Input))
    assert item.status == Status.SUBMITTED and item.body == LONG_BODY.strip()
    assert item.author_id == cso_user.id
    # And the person is signed in again.
    assert client.get("/my_inputs").status_code == 200


def test_idle_session_at_submit_keeps_the_text(csrf_app, consultation, cso_user):
    client = factories.login(csrf_app.test_client(), cso_user)
    page = client.get(text_url(consultation)).get_data(as_text=True)
    token = csrf_from(page)
    with client.session_transaction() as session:
        session["consult_seen"] = session["consult_seen"] - 24 * 3600
        session["consult_started"] = session["consult_started"] - 1
    response = client.post(new_url(consultation), data=payload(body=LONG_BODY, csrf_token=token))
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert LONG_BODY.strip() in page and "Sign in again" in page
    assert count_inputs() == 0


def test_draft_edit_signed_out_shows_nothing_but_what_was_posted(csrf_app, consultation, cso_user):
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT, title="Secret draft")
    client = csrf_app.test_client()
    response = client.post(f"/inputs/{draft.id}/edit", data=payload(title="Posted title"))
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Posted title" in page and "Secret draft" not in page
    assert client.post("/inputs/00000000-0000-0000-0000-000000000000/edit").status_code == 404
