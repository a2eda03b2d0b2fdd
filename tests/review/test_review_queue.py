"""The delegation queue and the HQ queue: scope, order, filters, counts, pages, 404s."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Status
from consult.timeutil import utcnow
from tests import factories


@pytest.fixture
def ua_org(app):
    return factories.make_organisation("Kyiv Oversight", ["UA"])


@pytest.fixture
def ua_member(ua_org):
    return factories.make_user("member@kyiv.example.org", "cso", organisation=ua_org)


@pytest.fixture
def secret_org(app):
    return factories.make_organisation("Hidden Shelter Collective", ["TN"])


@pytest.fixture
def secret_member(secret_org):
    return factories.make_user("member@hidden.example.org", "cso", organisation=secret_org)


def _at(minutes: int):
    return utcnow().replace(microsecond=0) - timedelta(days=1) + timedelta(minutes=minutes)


def _titles(html: str) -> list[str]:
    return re.findall(r'<a href="/review/inputs/[0-9a-f-]+"[^>]*>([^<]+)</a>', html)


def test_moderator_sees_only_their_delegations_submitted_inputs_oldest_first(
    client, login, consultation, cso_user, ua_member, secret_member, moderator_user
):
    factories.make_input(consultation, cso_user, title="Second TN", submitted_at=_at(20))
    factories.make_input(consultation, cso_user, title="First TN", submitted_at=_at(10))
    factories.make_input(consultation, cso_user, title="Draft TN", status=Status.DRAFT)
    factories.make_input(consultation, ua_member, title="Ukrainian input")
    factories.make_input(consultation, secret_member, title="Direct to HQ", hq_direct=True)
    factories.make_input(consultation, cso_user, title="Syrian input", countries=["SY"])

    login(client, moderator_user)
    response = client.get("/review/queue")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _titles(html) == ["First TN", "Second TN"]
    assert "EU Delegation to Tunisia" in html


def test_hq_queue_holds_hq_direct_and_undelegated_inputs(
    client, login, consultation, cso_user, secret_member, hq_user
):
    factories.make_input(consultation, cso_user, title="Tunisian input")
    factories.make_input(consultation, secret_member, title="Direct to HQ", hq_direct=True)
    factories.make_input(consultation, cso_user, title="Syrian input", countries=["SY"])
    login(client, hq_user)
    html = client.get("/review/queue").get_data(as_text=True)
    assert sorted(_titles(html)) == ["Direct to HQ", "Syrian input"]
    assert "HQ queue" in html
    # HQ sees who sent an HQ-direct input.
    assert "Hidden Shelter Collective" in html


def test_forwarded_list_is_for_hq_only(
    app, client, login, consultation, cso_user, moderator_user, hq_user
):
    factories.make_input(consultation, cso_user, title="Forwarded one", status=Status.FORWARDED)
    factories.make_input(consultation, cso_user, title="Still open")
    login(client, moderator_user)
    assert client.get("/review/forwarded").status_code == 404
    hq = login(app.test_client(), hq_user)
    html = hq.get("/review/forwarded").get_data(as_text=True)
    assert _titles(html) == ["Forwarded one"]


def test_filters_each_narrow_the_queue(client, login, consultation, cso_user, moderator_user):
    other = factories.make_consultation("second-round", title="Second round")
    factories.make_input(consultation, cso_user, title="Police forums", priority="ssr")
    factories.make_input(
        consultation,
        cso_user,
        title="Hackers",
        priority="cybercrime",
        type_="recommendation",
        themes=("youth",),
        body="Online threats to 100% of activists",
    )
    factories.make_input(
        other, cso_user, title="Other round", countries=["TN", "LY"], body="Regional work."
    )
    factories.make_input(consultation, cso_user, title="Sent already", status=Status.FORWARDED)
    login(client, moderator_user)

    def titles(query: str) -> list[str]:
        response = client.get("/review/queue?" + query)
        assert response.status_code == 200, query
        return sorted(_titles(response.get_data(as_text=True)))

    assert titles("") == ["Hackers", "Other round", "Police forums"]
    assert titles("consultation=second-round") == ["Other round"]
    assert titles("priority=cybercrime") == ["Hackers"]
    assert titles("type=recommendation") == ["Hackers"]
    assert titles("theme=youth") == ["Hackers"]
    assert titles("country=TN") == ["Hackers", "Other round", "Police forums"]
    assert titles("status=forwarded") == ["Sent already"]
    assert titles("status=all") == ["Hackers", "Other round", "Police forums", "Sent already"]
    # Search over title and body, any case; % and _ are taken literally.
    assert titles("q=POLICE") == ["Police forums"]
    assert titles("q=online+threats") == ["Hackers"]
    assert titles("q=100%25") == ["Hackers"]
    assert titles("q=10_") == []
    assert titles("q=police+hackers") == []


def test_counts_per_status(client, login, consultation, cso_user, moderator_user):
    for _n in range(3):
        factories.make_input(consultation, cso_user)
    factories.make_input(consultation, cso_user, status=Status.FORWARDED)
    factories.make_input(consultation, cso_user, status=Status.DECLINED)
    login(client, moderator_user)
    html = client.get("/review/queue").get_data(as_text=True)
    assert re.search(r"Submitted: <strong>3</strong>", html)
    assert re.search(r"Forwarded to HQ: <strong>1</strong>", html)
    assert re.search(r"Declined: <strong>1</strong>", html)
    assert re.search(r"In review: <strong>0</strong>", html)


def test_search_uses_the_reviewed_text_not_the_sealed_original(
    client, login, consultation, cso_user, moderator_user
):
    factories.make_input(
        consultation,
        cso_user,
        title="Named source",
        body="Ask Dr Salma Ben Ali about it.",
        reviewed_body="Ask [redacted] about it.",
    )
    login(client, moderator_user)
    assert _titles(client.get("/review/queue?q=Salma").get_data(as_text=True)) == []
    assert _titles(client.get("/review/queue?q=redacted").get_data(as_text=True)) == [
        "Named source"
    ]


def test_keyset_pages_of_fifty_without_offset(
    client, login, app, consultation, cso_user, moderator_user
):
    # 120 inputs; groups of three share a timestamp, so ties are broken by id.
    for n in range(120):
        factories.make_input(
            consultation, cso_user, title=f"Input {n:03d}", submitted_at=_at(n // 3)
        )
    login(client, moderator_user)
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        seen: list[str] = []
        url = "/review/queue"
        pages = 0
        while url:
            html = client.get(url).get_data(as_text=True)
            titles = _titles(html)
            pages += 1
            assert len(titles) == (50 if pages < 3 else 20)
            seen.extend(titles)
            match = re.search(r'href="(/review/queue\?after=[^"]+)"[^>]*rel="next"', html)
            url = match.group(1).replace("&amp;", "&") if match else None
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert pages == 3
    assert len(seen) == 120 and len(set(seen)) == 120
    # Oldest first by submission time (ties in any stable order).
    minutes = [int(t.split()[1]) // 3 for t in seen]
    assert minutes == sorted(minutes)
    # No OFFSET scans: SQLite's dialect writes "LIMIT ? OFFSET ?" but always with 0.
    queue_queries = [(sql, params) for sql, params in statements if "LIMIT" in sql.upper()]
    assert len(queue_queries) >= 3
    for sql, params in queue_queries:
        if "OFFSET" in sql.upper():
            assert list(params)[-1] == 0, sql


def test_next_page_keeps_the_filters(client, login, consultation, cso_user, moderator_user):
    for n in range(55):
        factories.make_input(consultation, cso_user, title=f"Cyber {n:02d}", priority="cybercrime")
    factories.make_input(consultation, cso_user, title="SSR one", priority="ssr")
    login(client, moderator_user)
    html = client.get("/review/queue?priority=cybercrime").get_data(as_text=True)
    match = re.search(r'href="([^"]+)"[^>]*rel="next"', html)
    assert match and "priority=cybercrime" in match.group(1)
    second = client.get(match.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(_titles(second)) == 5
    assert "SSR one" not in second


def test_queue_statements_do_not_grow_with_page_size(
    client, login, consultation, cso_user, moderator_user
):
    def count_for(n_inputs: int) -> int:
        db.session.execute(db.delete(Input))
        db.session.commit()
        for n in range(n_inputs):
            factories.make_input(
                consultation, cso_user, title=f"Input {n}", themes=("youth", "gender")
            )
        login(client, moderator_user)
        client.get("/review/queue")  # warm up (first request loads reference caches)
        statements: list[str] = []

        def capture(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            response = client.get("/review/queue")
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        assert len(_titles(response.get_data(as_text=True))) == n_inputs
        return len(statements)

    assert count_for(5) == count_for(50)


@pytest.mark.parametrize(
    "query",
    [
        "country=UA",  # covered by another delegation
        "country=SY",  # no delegation: HQ's
        "country=XX",
        "priority=nonsense",
        "type=nonsense",
        "theme=nonsense",
        "status=draft",
        "status=whatever",
        "consultation=no-such-consultation",
        "after=not-a-cursor",
    ],
)
def test_filter_values_outside_the_moderators_scope_are_404(client, login, moderator_user, query):
    login(client, moderator_user)
    assert client.get("/review/queue?" + query).status_code == 404


def test_consultation_not_covering_the_delegation_is_404(
    client, login, consultation, moderator_user
):
    factories.make_consultation("east-only", countries=["UA", "MD"])
    login(client, moderator_user)
    assert client.get("/review/queue?consultation=east-only").status_code == 404
    assert client.get(f"/review/queue?consultation={consultation.slug}").status_code == 200


def test_moderator_gets_404_on_another_delegations_input_and_attachment(
    client, login, app, consultation, ua_member, cso_user, moderator_user
):

    from consult.inputs.files import attachment_path

    theirs = factories.make_input(consultation, ua_member, title="Ukrainian input")
    ours = factories.make_input(consultation, cso_user, title="Tunisian input")
    attachments = {}
    for item, member in ((theirs, ua_member), (ours, cso_user)):
        att = Attachment(
            input_id=item.id,
            organisation_id=item.organisation_id,
            uploaded_by_id=member.id,
            filename="report.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            storage_name=f"stored-{item.id.hex}",
        )
        db.session.add(att)
        db.session.commit()
        path = attachment_path(att)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4\n")
        attachments[item.id] = att

    login(client, moderator_user)
    assert client.get(f"/review/inputs/{theirs.id}").status_code == 404
    assert client.post(f"/review/inputs/{theirs.id}/claim", data={"version": 1}).status_code == 404
    assert client.get(f"/review/attachments/{attachments[theirs.id].id}").status_code == 404
    assert client.get("/review/inputs/not-a-uuid").status_code == 404
    # Their own delegation's input and attachment open.
    assert client.get(f"/review/inputs/{ours.id}").status_code == 200
    download = client.get(f"/review/attachments/{attachments[ours.id].id}")
    assert download.status_code == 200
    assert download.data == b"%PDF-1.4\n"


def test_hq_direct_organisation_never_shown_to_delegation_staff(
    client, login, consultation, cso_user, secret_member, moderator_user, admin_user
):
    name = "Hidden Shelter Collective"
    hidden = factories.make_input(
        consultation,
        secret_member,
        title="Threats against shelter staff",
        body="We are followed.",
        hq_direct=True,
    )
    ordinary = factories.make_input(consultation, cso_user, title="Ordinary input")
    other = factories.make_input(consultation, cso_user, title="Another input")
    login(client, moderator_user)
    pages = {
        "/review/queue": 200,
        "/review/queue?status=all": 200,
        "/review/queue?q=shelter": 200,
        "/review/queue?country=TN&status=all": 200,
        f"/review/inputs/{ordinary.id}": 200,
        f"/review/inputs/{other.id}": 200,
        f"/review/inputs/{hidden.id}": 404,
        f"/review/inputs/{hidden.id}/original": 404,
        "/review/forwarded": 404,
        "/": 302,
    }
    for url, status in pages.items():
        response = client.get(url, follow_redirects=False)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert name not in html, url
        assert "Threats against shelter staff" not in html, url
    # Even after every action a moderator can take on other inputs.
    client.post(f"/review/inputs/{ordinary.id}/claim", data={"version": ordinary.version})
    html = client.get(f"/review/inputs/{ordinary.id}").get_data(as_text=True)
    assert name not in html
