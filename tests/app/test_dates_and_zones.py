"""Dates in the reader's language and times in the reader's zone (issue 14, items 8 and 10)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import force_locale

from consult.dates import DateInputError, date_hint, input_date, numeric_pattern, parse_date
from consult.extensions import db
from consult.timeutil import COUNTRY_ZONES, HQ_ZONE, default_zone_name, is_zone
from tests import factories

# 16:00 UTC on 30 April 2026: 17:00 in Tunis (UTC+1), 18:00 in Brussels (summer time).
CLOSES = datetime(2026, 4, 30, 16, 0)


@pytest.mark.parametrize(
    ("locale", "pattern", "typed"),
    [
        ("en", "dd/MM/yyyy", "31/01/2026"),
        ("fr", "dd/MM/yyyy", "31/01/2026"),
        ("ar", "dd/MM/yyyy", "31/01/2026"),
        ("ru", "dd.MM.yyyy", "31.01.2026"),
        ("uk", "dd.MM.yyyy", "31.01.2026"),
    ],
)
def test_each_language_types_dates_in_its_own_pattern_and_iso(app, locale, pattern, typed):
    with app.test_request_context(), force_locale(locale):
        assert numeric_pattern(locale) == pattern
        assert input_date(date(2026, 1, 31)) == typed
        assert parse_date(typed) == date(2026, 1, 31)
        assert parse_date("2026-01-31") == date(2026, 1, 31)
        assert typed in date_hint()


def test_arabic_indic_digits_are_read(app):
    with app.test_request_context(), force_locale("ar"):
        assert parse_date("٣١/٠١/٢٠٢٦") == date(2026, 1, 31)


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-02-30", "32/01/2026"])
def test_an_impossible_date_is_refused_naming_what_was_typed(app, typed):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(DateInputError) as refused:
            parse_date(typed)
    assert typed in str(refused.value)
    assert "DD/MM/YYYY" in str(refused.value)


@pytest.mark.parametrize("typed", ["tomorrow", "01/2026", "1/1/26", "31-01"])
def test_an_unreadable_date_is_refused(app, typed):
    with app.test_request_context(), force_locale("fr"):
        with pytest.raises(DateInputError):
            parse_date(typed)


def test_every_country_has_a_real_zone_and_hq_reads_brussels(app, hq_user, moderator_user):
    assert len(COUNTRY_ZONES) == 16
    assert all(is_zone(zone) for zone in COUNTRY_ZONES.values())
    assert default_zone_name(hq_user) == HQ_ZONE
    assert default_zone_name(moderator_user) == "Africa/Tunis"


def _closing_consultation():
    consultation = factories.make_consultation()
    consultation.closes_at = CLOSES
    db.session.commit()
    return consultation


def test_a_tunisian_cso_sees_the_closing_date_in_tunis_time_with_utc_beside(
    client, login, cso_user
):
    consultation = _closing_consultation()
    login(client, cso_user)
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert (
        '<time datetime="2026-04-30T16:00:00Z" title="30 Apr 2026 16:00 UTC">'
        "30 Apr 2026 17:00 Tunis (16:00 UTC)</time>"
    ) in page


def test_changing_the_time_zone_changes_the_page(client, login, cso_user):
    consultation = _closing_consultation()
    login(client, cso_user)
    account = client.get("/auth/account").get_data(as_text=True)
    assert "Times are shown in Africa/Tunis." in account and "/auth/account/time-zone" in account
    answer = client.post("/auth/account/time-zone", data={"time_zone": "Europe/Brussels"})
    assert answer.status_code == 302
    assert db.session.get(type(cso_user), cso_user.id).time_zone == "Europe/Brussels"
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "30 Apr 2026 18:00 Brussels (16:00 UTC)" in page
    account = client.get("/auth/account/time-zone").get_data(as_text=True)
    assert '<option selected value="Europe/Brussels">' in account
    client.post("/auth/account/time-zone", data={"time_zone": ""})
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "30 Apr 2026 17:00 Tunis (16:00 UTC)" in page


def test_a_zone_not_in_the_list_is_refused_and_nothing_changes(client, login, cso_user):
    login(client, cso_user)
    answer = client.post("/auth/account/time-zone", data={"time_zone": "Mars/Olympus"})
    assert answer.status_code == 400
    assert "Not a valid choice" in answer.get_data(as_text=True)
    assert db.session.get(type(cso_user), cso_user.id).time_zone is None


def test_the_api_keeps_utc(client, cso_user, consultation):
    from tests.conftest import API, new_token

    token = new_token(cso_user)
    answer = client.get(f"{API}/consultations", headers={"Authorization": f"Bearer {token}"})
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert consultation.closes_at.strftime("%Y-%m-%dT%H:%M") in body
