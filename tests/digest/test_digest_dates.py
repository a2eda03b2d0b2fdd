"""The digest page's date fields: the interface language's format, one hint, ISO too."""

from __future__ import annotations

import pytest

from consult.extensions import db


@pytest.fixture
def data(app, make_digest_data):
    return make_digest_data()


def _internal(client, since: str, until: str):
    return client.get(f"/digest/?audience=internal&since={since}&until={until}")


def test_the_date_fields_are_text_in_the_languages_format(data, client, login, hq_user):
    login(client, hq_user)
    page = client.get("/digest/").get_data(as_text=True)
    assert 'type="date"' not in page
    assert 'id="since" inputmode="numeric"' in page
    assert "Write the date as DD/MM/YYYY, for example 31/01/2026" in page
    assert "YYYY-MM-DD" not in page
    hq_user.locale = "ru"
    db.session.commit()
    page = client.get("/digest/").get_data(as_text=True)
    assert "31.01.2026" in page


def test_a_date_in_the_languages_format_filters_as_its_iso_twin(data, client, login, hq_user):
    login(client, hq_user)
    typed = _internal(client, "12/03/2026", "31/03/2026")
    iso = _internal(client, "2026-03-12", "2026-03-31")
    assert typed.status_code == iso.status_code == 200
    counts = [r.get_data(as_text=True).split("<dt>Inputs</dt>")[1][:40] for r in (typed, iso)]
    assert counts[0] == counts[1]
    # what was typed stays in the box, and the downloads carry ISO dates
    assert 'value="12/03/2026"' in typed.get_data(as_text=True)
    assert "since=2026-03-12" in typed.get_data(as_text=True)


def test_an_impossible_date_is_refused_keeping_what_was_typed(data, client, login, hq_user):
    login(client, hq_user)
    response = _internal(client, "30/02/2026", "31/03/2026")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "30/02/2026 is not a date in the calendar. Write it as DD/MM/YYYY" in page
    assert 'value="30/02/2026"' in page
