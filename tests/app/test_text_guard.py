"""A NUL character in any text is refused with a clear 400, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.models import Input


def test_api_refuses_a_nul_character_in_a_query_value(app, api_client, cso_user):
    answer = api_client(app, cso_user).get("/inputs?consultation=%00south")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["message"].startswith("Text may not contain NUL")


def test_api_refuses_a_nul_character_in_a_json_body(app, api_client, cso_user, consultation):
    answer = api_client(app, cso_user).post(
        "/inputs", json={"consultation": consultation.slug, "title": "Police\x00forums"}
    )
    assert answer.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Input)) == 0


def test_a_form_with_a_nul_character_gets_a_page_that_says_so(
    client, login, cso_user, consultation
):
    login(client, cso_user)
    answer = client.post(
        f"/consultations/{consultation.id}/inputs/new", data={"title": "Police\x00forums"}
    )
    assert answer.status_code == 400
    assert "Text may not contain NUL characters" in answer.get_data(as_text=True)
