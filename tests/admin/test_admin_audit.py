"""The audit log as people read it: sentences, links, filters who/what/when, pages of 50."""

from __future__ import annotations

import re
from datetime import datetime

from consult.audit.actions import ACTION_KINDS, ACTION_PHRASES
from consult.audit.models import AuditEvent
from consult.audit.services import record
from consult.extensions import db
from tests import factories
from tests.app.test_structure import _audit_actions


def _add(action: str, actor=None, obj=None, *, at: datetime | None = None, **detail):
    event = record(action, actor, obj, **detail)
    if at is not None:
        event.created_at = at
    db.session.commit()
    return event


def _listing(html: str) -> str:
    """The events shown (not the filter's choices)."""
    if '<ol class="audit-events">' not in html:
        return ""
    return html.split('<ol class="audit-events">')[1].split("</ol>")[0]


def _events(html: str) -> int:
    listing = (
        html.split('<ol class="audit-events">')[1].split("</ol>")[0]
        if "audit-events" in html
        else ""
    )
    return listing.count("<li>")


def test_every_recorded_action_reads_as_a_phrase_of_one_kind():
    recorded = {action for action, _where in _audit_actions() if action != "input.x"}
    recorded |= {f"input.{verb}" for verb in ("forwarded", "returned", "declined")}
    assert recorded - set(ACTION_PHRASES) == set()
    for action in ACTION_PHRASES:
        kinds = [slug for slug, (_name, actions) in ACTION_KINDS.items() if action in actions]
        assert len(kinds) == 1, (action, kinds)


def test_an_event_reads_as_a_sentence_with_the_actor_role_and_a_link(
    client, login, admin_user, moderator_user, consultation, cso_user, organisation
):
    moderator_user.full_name = "Amal Ben Salah"
    item = factories.make_input(consultation, cso_user)
    _add("input.forwarded", moderator_user, item)
    _add("organisation.verified", admin_user, organisation)
    _add("user.deactivated", admin_user, cso_user)
    login(client, admin_user)
    html = _listing(client.get("/admin/audit").get_data(as_text=True))
    assert '<strong dir="auto">Amal Ben Salah</strong>' in html
    assert "<bdi>mod.tn@eeas.example.org</bdi>, Delegation moderator" in html
    assert "forwarded an input" in html and "input.forwarded" not in html
    assert f'href="/review/inputs/{item.id}/original"' in html
    assert f'href="/admin/organisations/{organisation.id}" dir="auto">Tunis Civic Forum</a>' in html
    assert f'href="/admin/users/{cso_user.id}"' in html
    assert f'href="/admin/audit?object_id={item.id}"' in html


def test_the_log_speaks_the_readers_language(client, login, admin_user, moderator_user):
    _add("auth.login", moderator_user)
    admin_user.locale = "fr"
    db.session.commit()
    login(client, admin_user)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "s’est connecté" in html or "s'est connecté" in html


def test_filters_who_what_object_and_days(client, login, admin_user, moderator_user, hq_user):
    # Brussels is UTC+1 in winter: 23:30 UTC on 14 Jan is 15 Jan in the admin's zone.
    _add(
        "input.viewed",
        moderator_user,
        at=datetime(2026, 1, 10, 12),
        object_type="inputs",
        object_id="input-a",
    )
    _add(
        "input.forwarded",
        moderator_user,
        at=datetime(2026, 1, 14, 23, 30),
        object_type="inputs",
        object_id="input-a",
    )
    _add(
        "digest.downloaded",
        hq_user,
        at=datetime(2026, 2, 1, 9),
        object_type="digest",
        object_id="digest-1",
    )
    login(client, admin_user)

    html = client.get("/admin/audit?what=reviews").get_data(as_text=True)
    html = _listing(html)
    assert "forwarded an input" in html and "downloaded a digest" not in html

    html = client.get("/admin/audit?what=digest.downloaded").get_data(as_text=True)
    html = _listing(html)
    assert "downloaded a digest" in html and "forwarded an input" not in html

    html = client.get("/admin/audit?who=ANALYST@").get_data(as_text=True)
    html = _listing(html)
    assert "downloaded a digest" in html and "viewed an input" not in html

    html = client.get("/admin/audit?object_id=input-a").get_data(as_text=True)
    html = _listing(html)
    assert "viewed an input" in html and "forwarded an input" in html
    assert "downloaded a digest" not in html

    html = client.get("/admin/audit?since=15/01/2026&until=31/01/2026").get_data(as_text=True)
    html = _listing(html)
    assert "forwarded an input" in html
    assert "viewed an input" not in html and "downloaded a digest" not in html

    # the end day is inclusive, and ISO dates work too
    html = client.get("/admin/audit?until=2026-01-10").get_data(as_text=True)
    html = _listing(html)
    assert "viewed an input" in html and "forwarded an input" not in html


def test_newest_first_in_pages_of_50_keeping_the_filters(client, login, admin_user, hq_user):
    for n in range(70):
        db.session.add(
            AuditEvent(action="digest.downloaded", object_id=f"obj-{n:03d}", actor_id=hq_user.id)
        )
    db.session.add(AuditEvent(action="auth.login", object_id="other"))
    db.session.commit()
    login(client, admin_user)
    first = client.get("/admin/audit?what=digest.downloaded&who=analyst").get_data(as_text=True)
    assert _events(first) == 50
    assert first.index("obj-069") < first.index("obj-068")
    assert "obj-020" in first and "obj-019" not in first
    older = re.search(r'href="(/admin/audit\?[^"]*before=\d+[^"]*)" rel="next"', first).group(1)
    older = older.replace("&amp;", "&")
    assert "what=digest.downloaded" in older and "who=analyst" in older
    second = client.get(older).get_data(as_text=True)
    assert _events(second) == 20
    assert "obj-019" in second and "obj-000" in second and "obj-020" not in second
    assert 'rel="next"' not in second and "Newest events" in second


def test_viewing_the_log_is_audited_and_no_address_is_shown(
    client, login, admin_user, audit_events
):
    _add(
        "auth.login_failed",
        None,
        object_type="users",
        object_id="someone",
        ip="203.0.113.7",
        reason="credentials",
    )
    login(client, admin_user)
    html = client.get("/admin/audit?what=auth.login_failed").get_data(as_text=True)
    assert "reason: <bdi>credentials</bdi>" in html
    assert "203.0.113.7" not in html
    (viewed,) = audit_events("audit_log.viewed")
    assert viewed.actor_id == admin_user.id
    assert viewed.detail == {"filters": {"what": "auth.login_failed"}}
    # the next view shows the previous one
    assert "viewed the audit log" in client.get("/admin/audit").get_data(as_text=True)


def test_bad_filters_are_explained_and_keep_what_was_typed(client, login, admin_user):
    login(client, admin_user)
    response = client.get("/admin/audit?since=31/02/2026&what=nonsense")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "31/02/2026 is not a date in the calendar" in html and 'value="31/02/2026"' in html
    assert "Not a valid choice" in html
    response = client.get("/admin/audit?since=20/01/2026&until=10/01/2026")
    assert response.status_code == 400
    assert "The last day comes before the first" in response.get_data(as_text=True)
