"""The audit log: filters, newest first, pages of 100, no addresses, viewing audited."""

from __future__ import annotations

from datetime import datetime

from consult.audit.models import AuditEvent
from consult.audit.services import record
from consult.extensions import db


def _add(action: str, actor=None, *, at: datetime | None = None, object_id=None, **detail):
    event = record(action, actor, object_type="test", object_id=object_id, **detail)
    if at is not None:
        event.created_at = at
    db.session.commit()
    return event


def _rows(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


def test_filters_by_action_actor_object_and_dates(
    client, login, admin_user, moderator_user, hq_user
):
    _add("input_viewed", moderator_user, at=datetime(2026, 1, 10, 12), object_id="input-a")
    _add("input_forwarded", moderator_user, at=datetime(2026, 1, 20, 8), object_id="input-a")
    _add("digest_downloaded", hq_user, at=datetime(2026, 2, 1, 9), object_id="digest-1")
    login(client, admin_user)

    html = client.get("/admin/audit?action=input_forwarded").get_data(as_text=True)
    assert "input_forwarded" in html and "digest_downloaded</code>" not in html

    html = client.get("/admin/audit?actor_email=ANALYST@").get_data(as_text=True)
    assert "digest_downloaded" in html and "<code>input_viewed</code>" not in html

    html = client.get("/admin/audit?object_id=input-a").get_data(as_text=True)
    assert "<code>input_viewed</code>" in html and "<code>input_forwarded</code>" in html
    assert "<code>digest_downloaded</code>" not in html

    html = client.get("/admin/audit?since=2026-01-15&until=2026-01-31").get_data(as_text=True)
    assert "<code>input_forwarded</code>" in html
    assert "<code>input_viewed</code>" not in html and "<code>digest_downloaded</code>" not in html

    # the end date is inclusive
    html = client.get("/admin/audit?until=2026-01-10").get_data(as_text=True)
    assert "<code>input_viewed</code>" in html and "<code>input_forwarded</code>" not in html


def test_newest_first_in_pages_of_100(client, login, admin_user):
    for n in range(130):
        db.session.add(AuditEvent(action="bulk_event", object_id=f"obj-{n:03d}"))
    db.session.commit()
    login(client, admin_user)
    first = client.get("/admin/audit?action=bulk_event").get_data(as_text=True)
    assert _rows(first) == 100
    assert first.index("obj-129") < first.index("obj-128")
    assert "obj-030" in first and "obj-029" not in first
    cursor = first.split("before=")[1].split('"')[0].split("&")[0]
    second = client.get(f"/admin/audit?action=bulk_event&before={cursor}").get_data(as_text=True)
    assert _rows(second) == 30
    assert "obj-029" in second and "obj-000" in second and "obj-030" not in second
    assert "Next page" not in second


def test_viewing_the_log_is_audited_and_no_address_is_shown(
    client, login, admin_user, audit_events
):
    _add("auth.login_failed", None, object_id="someone", ip="203.0.113.7", reason="credentials")
    login(client, admin_user)
    html = client.get("/admin/audit?action=auth.login_failed").get_data(as_text=True)
    assert "reason: credentials" in html
    assert "203.0.113.7" not in html
    (viewed,) = audit_events("audit_log.viewed")
    assert viewed.actor_id == admin_user.id
    assert viewed.detail == {"filters": {"action": "auth.login_failed"}}
    # the next view shows the previous one
    assert "audit_log.viewed" in client.get("/admin/audit").get_data(as_text=True)


def test_bad_dates_are_reported_on_the_form(client, login, admin_user):
    login(client, admin_user)
    response = client.get("/admin/audit?since=yesterday")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give a date like 2026-03-01." in html and 'value="yesterday"' in html


def test_audit_rows_about_an_input_link_to_its_sealed_original(
    client, login, admin_user, consultation, cso_user
):
    from tests import factories as _factories

    item = _factories.make_input(consultation, cso_user, body="Original words of the CSO.")
    from consult.audit.services import record
    from consult.extensions import db as _db

    record("input.viewed", admin_user, item)
    _db.session.commit()
    login(client, admin_user)
    page = client.get("/admin/audit").get_data(as_text=True)
    link = f"/review/inputs/{item.id}/original"
    assert link in page
    original = client.get(link)
    assert original.status_code == 200
    assert "Original words of the CSO." in original.get_data(as_text=True)
