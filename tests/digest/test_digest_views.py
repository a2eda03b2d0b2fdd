"""The digest page, its downloads, who may open them, and the audit log of downloads."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db


@pytest.fixture
def data(app, make_digest_data):
    return make_digest_data()


def test_page_without_a_query_lists_releases_and_the_publish_form(
    data, client, login, hq_user, publish
):
    login(client, hq_user)
    page = client.get("/digest/").get_data(as_text=True)
    assert "No release has been published yet." in page
    assert "Publish the next release" in page
    assert "<dt>Inputs</dt>" not in page  # no digest yet
    publish(actor=hq_user)
    page = client.get("/digest/").get_data(as_text=True)
    assert "No release has been published yet." not in page
    assert "consultation=enp-2026" in page and "Release 1" in page
    assert "<dt>Inputs</dt>" not in page


def test_page_shows_totals_matrix_and_counts(data, client, login, hq_user, publish):
    login(client, hq_user)
    publish()
    response = client.get("/digest/?consultation=enp-2026")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r"<dt>Inputs</dt><dd>4</dd>", page)
    assert re.search(r"<dt>Organisations</dt><dd>4</dd>", page)
    assert '<table class="matrix compact">' in page  # 16 countries: codes and "<3"
    # (ssr, AM) is small: it and the five empty East cells of the row read alike; with
    # 16 countries the table is compact: "<3", spelt out in a title and the legend.
    small = '<td class="num heat-0 heat-suppressed"><abbr title="fewer than 3">&lt;3</abbr></td>'
    assert page.count(small) >= 6
    internal = client.get("/digest/?audience=internal").get_data(as_text=True)
    assert re.search(r'<td class="num heat-4">3</td>', internal)  # readable without colour
    assert "Inputs by type" in page and "Inputs by theme" in page
    assert "<script" not in page and not re.search(r"\sstyle=", page)


def test_filters_change_the_page_and_the_download_links_carry_them(data, client, login, hq_user):
    login(client, hq_user)
    page = client.get("/digest/?priority=ssr&country=TN&audience=internal").get_data(as_text=True)
    assert re.search(r"<dt>Inputs</dt><dd>3</dd>", page)
    links = re.findall(r'href="(/digest/download/[^"]+)"', page)
    assert len(links) == 6
    for link in links:
        assert "priority=ssr" in link and "country=TN" in link and "audience=internal" in link
    assert any("part=recommendations" in link for link in links)


def test_bad_filter_is_shown_next_to_its_field(data, client, login, hq_user):
    login(client, hq_user)
    response = client.get("/digest/?priority=nope&since=yesterday")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Unknown priority &#39;nope&#39;; valid values: ssr, terrorism" in page
    assert 'class="error-summary"' in page
    assert 'id="priority-error"' in page


def test_bad_filter_on_a_download_is_refused_and_not_audited(data, client, login, hq_user):
    login(client, hq_user)
    response = client.get("/digest/download/csv?country=XX")
    assert response.status_code == 400
    assert "valid values: AM, AZ" in response.get_data(as_text=True)
    assert client.get("/digest/download/pdf").status_code == 404
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "digest.downloaded")).all()
        == []
    )


@pytest.mark.parametrize("user_fixture", ["cso_user", "moderator_user", "admin_user"])
def test_only_hq_analysts_see_digests(request, data, client, login, user_fixture):
    login(client, request.getfixturevalue(user_fixture))
    assert client.get("/digest/").status_code == 404
    assert client.get("/digest/download/csv").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/digest/download/json")
    assert response.status_code in (302, 401)


@pytest.mark.parametrize(
    ("fmt", "mimetype", "suffix"),
    [
        ("csv", "text/csv", "-inputs.csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ("json", "application/json", ".json"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "-report.docx",
        ),
        ("html", "text/html", "-report.html"),
    ],
)
def test_every_download_is_audited(data, client, login, hq_user, fmt, mimetype, suffix, publish):
    login(client, hq_user)
    response = client.get(
        f"/digest/download/{fmt}?priority=ssr&theme=community-security&audience=internal"
    )
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].endswith(f'{suffix}"')
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.data) > 100
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "digest.downloaded")
    ).one()
    assert event.actor_id == hq_user.id
    assert event.detail["format"] == fmt
    assert event.detail["filters"] == {
        "priority": "ssr",
        "theme": "community-security",
        "audience": "internal",
    }
    assert event.detail["count"] == 3
    assert event.detail["release"] is None
    # An external download names the release it projects.
    publish()
    response = client.get(f"/digest/download/{fmt}?priority=ssr")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "digest.downloaded")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.detail["audience"] == "external"
    assert event.detail["release"] == "enp-2026#1"
    assert event.detail["filters"] == {"priority": "ssr", "audience": "external"}


def test_recommendations_part_is_audited_as_such(data, client, login, hq_user, publish):
    login(client, hq_user)
    publish()
    response = client.get("/digest/download/csv?part=recommendations")
    assert response.status_code == 200
    assert b"addressee" in response.data
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "digest.downloaded")
    ).one()
    assert event.detail["part"] == "recommendations"


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_report_filtered_by_consultation_streams_after_the_request_ended(
    data, make_app, login, hq_user, fmt, publish
):
    # Served as in production: the request's app context (and its database
    # session) ends before the report streams, after the audit row was committed.
    # The consultation's title and dates must still be at hand then.
    publish()
    client = make_app().test_client()
    login(client, hq_user)
    response = client.get(f"/digest/download/{fmt}?consultation={data.consultation.slug}")
    assert response.status_code == 200
    body = response.data
    if fmt == "docx":
        body = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml")
    assert b"ENP security 2026" in body
