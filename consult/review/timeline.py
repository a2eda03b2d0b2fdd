"""The input's timeline: adding review events and saying what each one did."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from consult.extensions import db
from consult.i18n import label
from consult.inputs.events import EventKind, ReviewEvent, add_event
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.inputs.transitions import transition
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import InputType, Priority, Theme

FIELD_LABELS: dict[str, Any] = {
    "priority": _l("priority"),
    "countries": _l("countries"),
    "type": _l("type"),
    "language": _l("language"),
    "themes": _l("themes"),
    "moderator_summary": _l("moderator summary"),
    "reviewed_title": _l("title"),
    "reviewed_body": _l("body"),
    "recommendations": _l("recommendations"),
}


_REFERENCE_MODELS: dict[str, Any] = {"priority": Priority, "type": InputType, "themes": Theme}


def _reference_names(field: str, value: str | None) -> str:
    """Slugs stored in a correction event, as the names people read (unknown slugs kept)."""
    if field == "language" and value:
        return label(dict(INPUT_LANGUAGES).get(value, value))
    model = _REFERENCE_MODELS.get(field)
    if not value or model is None:
        return value or ""
    names = []
    for slug in (part.strip() for part in value.split(",")):
        found = db.session.get(model, slug) if slug else None
        names.append(found.name if found is not None else slug)
    return ", ".join(names)


def describe_event(event: ReviewEvent) -> str:
    """A short sentence for EU staff saying what an event did."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.CORRECTED:
        parts = []
        for change in data.get("changes", []):
            field = change["field"]
            label = str(FIELD_LABELS.get(field, field))
            if "from" in change:
                parts.append(
                    _(
                        "changed the %(field)s from %(old)s to %(new)s",
                        field=label,
                        old=_reference_names(field, change["from"]) or "-",
                        new=_reference_names(field, change["to"]) or "-",
                    )
                )
            else:
                parts.append(_("edited the %(field)s", field=label))
        return "; ".join(parts)
    if kind == EventKind.REDACTED:
        return ngettext(
            "redacted %(num)d identifier", "redacted %(num)d identifiers", data.get("count", 0)
        )
    labels = {
        EventKind.SUBMITTED: _("submitted"),
        EventKind.RESUBMITTED: _("resubmitted"),
        EventKind.WITHDRAWN: _("withdrew it"),
        EventKind.CLAIMED: _("claimed it"),
        EventKind.RELEASED: _("released it"),
        EventKind.TAKEN_OVER: _("took it over"),
        EventKind.MERGED: _("merged duplicates"),
        EventKind.FORWARDED: _("forwarded it to HQ"),
        EventKind.RETURNED: _("returned it with a question"),
        EventKind.DECLINED: _("declined it"),
        EventKind.USED: _("recorded how HQ used it"),
        EventKind.FILE_REMOVED: _("removed an attached file"),
    }
    return str(labels.get(kind, kind))  # type: ignore[call-overload]


def record_event(
    item: Input,
    user: Any,
    kind: EventKind,
    *,
    message: str | None = None,
    visible: bool = False,
    **data: Any,
) -> ReviewEvent:
    """Add a ``kind`` event by ``user`` to ``item``'s timeline (``visible``: the CSO sees it)."""
    return add_event(item, user, kind, message=message, visible=visible, **data)


def record_work(item: Input, user: Any, kind: EventKind, **data: Any) -> ReviewEvent:
    """Record work on the input (a correction, a redaction).

    The first work on a submitted input moves it into review.
    """
    if item.status == Status.SUBMITTED:
        return transition(item, Status.IN_REVIEW, user, kind, **data)
    return record_event(item, user, kind, **data)
