"""Reading the audit log (itself recorded), as people read it, without anything address-like.

Each event reads as a sentence: who (name, email, role), did what (a phrase
from :mod:`consult.audit.actions`), to which object (a link where the viewer
may open it). Filters: who, what (a kind of action, or one action), which
object, and when (days in the viewer's time zone). Pages are keyset pages of
:data:`AUDIT_PAGE_SIZE`, newest first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.access import may
from consult.admin.paging import Page
from consult.audit.actions import action_phrase, actions_of_kind
from consult.audit.models import AuditEvent
from consult.audit.services import record
from consult.auth.models import User, normalise_email
from consult.auth.roles import ROLE_LABELS, Role
from consult.digest.releases.models import Release
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.organisations.models import Organisation
from consult.reference.models import Delegation
from consult.timeutil import day_bounds_utc

#: Events a page: enough to scan, short enough to read on a phone.
AUDIT_PAGE_SIZE = 50

#: Keys never shown from an audit event's detail, should one ever carry them.
HIDDEN_DETAIL_KEYS = frozenset({"ip", "ip_address", "remote_addr", "address", "user_agent"})


@dataclass
class AuditFilters:
    who: str = ""
    what: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filters as recorded in the audit event of viewing the log."""
        return {
            key: str(value)
            for key, value in (
                ("who", self.who),
                ("what", self.what),
                ("object_id", self.object_id),
                ("since", self.since),
                ("until", self.until),
            )
            if value
        }


def audit_page(
    actor: User,
    filters: AuditFilters,
    zone: str,
    before: int | None = None,
    limit: int = AUDIT_PAGE_SIZE,
) -> Page:
    """Audit events matching ``filters``, newest first, ``limit`` at a time.

    Paged by keyset on the event id (ids grow with time), so a deep page costs
    what the first one does. ``since`` and ``until`` are whole days in
    ``zone``. Looking at the log is itself recorded.
    """
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.what:
        stmt = stmt.where(AuditEvent.action.in_(sorted(actions_of_kind(filters.what))))
    if filters.who:
        needle = filters.who.strip()
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            or_(
                User.email.contains(normalise_email(needle), autoescape=True),
                User.full_name.icontains(needle, autoescape=True),
            )
        )
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id.strip())
    start, end = day_bounds_utc(filters.since, filters.until, zone)
    if start is not None:
        stmt = stmt.where(AuditEvent.created_at >= start)
    if end is not None:
        stmt = stmt.where(AuditEvent.created_at < end)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    next_cursor = str(rows[limit - 1].id) if len(rows) > limit else None
    record("audit_log.viewed", actor, object_type="audit_events", filters=filters.as_detail())
    db.session.flush()
    return Page(rows[:limit], next_cursor)


@dataclass
class ObjectLink:
    """An event's object: what it is called, and a link when the viewer may open it."""

    label: str
    url: str | None = None


@dataclass
class EventLine:
    """One event as the log page reads it."""

    event: AuditEvent
    actor: str
    actor_email: str | None
    actor_role: str | None
    phrase: str
    target: ObjectLink | None
    detail: list[tuple[str, str]] = field(default_factory=list)


def _uuids(values: Iterable[str | None]) -> set[uuid.UUID]:
    found = set()
    for value in values:
        try:
            found.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def _by_id(model: Any, ids: set[Any]) -> dict[str, Any]:
    if not ids:
        return {}
    return {str(row.id): row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _object_ids(events: list[AuditEvent], *types: str) -> list[str | None]:
    return [e.object_id for e in events if e.object_type in types]


def _input_link(item: Input, viewer: User) -> ObjectLink:
    name = _("input %(ref)s", ref=str(item.id)[:8])
    if may(viewer, "review"):
        return ObjectLink(name, url_for("review.input", input_id=item.id))
    if may(viewer, "view_sealed_original"):
        return ObjectLink(name, url_for("review.original", input_id=item.id))
    return ObjectLink(name)


def _object_links(events: list[AuditEvent], viewer: User) -> dict[tuple[str, str], ObjectLink]:
    """Each event's object, named and linked, loaded once per kind for the whole page."""
    administer = may(viewer, "administer")
    links: dict[tuple[str, str], ObjectLink] = {}
    kinds: list[tuple[tuple[str, ...], Any, Callable[[Any], ObjectLink]]] = [
        (("inputs",), Input, lambda i: _input_link(i, viewer)),
        (
            ("users", "user"),
            User,
            lambda u: ObjectLink(
                u.display_name,
                url_for("admin.user_detail", user_id=u.id) if administer else None,
            ),
        ),
        (
            ("organisations",),
            Organisation,
            lambda o: ObjectLink(
                o.name, url_for("admin.organisation_edit", org_id=o.id) if administer else None
            ),
        ),
        (
            ("consultations",),
            Consultation,
            lambda c: ObjectLink(
                c.title,
                url_for("admin.consultation_edit", consultation_id=c.id) if administer else None,
            ),
        ),
        (
            ("releases",),
            Release,
            lambda r: ObjectLink(
                _("release %(n)s of %(title)s", n=r.number, title=r.consultation.title),
                url_for("digest.index", consultation=r.consultation.slug, release=r.number)
                if may(viewer, "download_digest")
                else None,
            ),
        ),
    ]
    for types, model, make in kinds:
        for key, row in _by_id(model, _uuids(_object_ids(events, *types))).items():
            for kind in types:
                links[(kind, key)] = make(row)
    slugs = set(_object_ids(events, "delegations"))
    if slugs:
        for d in db.session.scalars(select(Delegation).where(Delegation.slug.in_(slugs))):
            links[("delegations", d.slug)] = ObjectLink(
                d.name, url_for("admin.delegation_edit", slug=d.slug) if administer else None
            )
    return links


def _actor_names(events: list[AuditEvent]) -> dict[Any, User]:
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _role_label(role: str | None) -> str | None:
    try:
        return str(ROLE_LABELS[Role(role)]) if role else None
    except ValueError:
        return role


def event_lines(events: list[AuditEvent], viewer: User) -> list[EventLine]:
    """The page's events as sentences: actor, phrase, linked object, detail."""
    actors = _actor_names(events)
    links = _object_links(events, viewer)
    lines = []
    for event in events:
        actor = actors.get(event.actor_id)
        if actor is not None:
            who, email = actor.full_name or actor.email, actor.email if actor.full_name else None
        elif event.actor_id:
            who, email = _("A deleted account"), None
        else:
            who, email = _("Someone not signed in, or the system"), None
        target = None
        if event.object_id and event.object_type != "audit_events":
            target = links.get((event.object_type or "", event.object_id)) or ObjectLink(
                f"{event.object_type or ''} {event.object_id}".strip()
            )
        lines.append(
            EventLine(
                event=event,
                actor=who,
                actor_email=email,
                actor_role=_role_label(event.actor_role),
                phrase=_(action_phrase(event.action)),  # noqa: INT001 - phrases are in N_()
                target=target,
                detail=visible_detail(event),
            )
        )
    return lines


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={_shown(v)}"
            for k, v in sorted(value.items())
            if k.lower() not in HIDDEN_DETAIL_KEYS and v is not None
        )
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def visible_detail(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's detail as (key, value) pairs, without anything address-like."""
    detail = event.detail or {}
    return [
        (key, _shown(value))
        for key, value in sorted(detail.items())
        if key.lower() not in HIDDEN_DETAIL_KEYS and value is not None
    ]
