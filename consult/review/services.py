"""What moderators and HQ analysts do to an input: claim, correct, redact, merge, decide.

Every function takes the acting user and the objects, enforces the rules,
records a review event (the input's timeline) and an audit row, and flushes;
the view commits. Every change bumps the input's ``version`` (SQLAlchemy's
version counter), and each form carries the version it was loaded with: a
save carrying an older version raises :class:`ConflictError` naming what
changed since, so nobody silently overwrites a colleague. A true race (two
requests passing the check at once) ends in ``StaleDataError`` at flush,
which is turned into the same :class:`ConflictError`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from consult.access import can_see_input
from consult.audit.services import record
from consult.auth.roles import Role
from consult.extensions import db
from consult.identifiers import Finding, find_identifiers, known_identifiers, redact_spans
from consult.reference.models import Country, InputType, Priority, Theme
from consult.review.models import EventKind, ReviewEvent
from consult.review.queue import QueueFilterError, QueuePage, queue_page
from consult.submissions.models import (
    BODY_MAX,
    MESSAGE_MAX,
    RECOMMENDATION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Input,
)
from consult.submissions.states import FORWARDED_STATUSES, OPEN_FOR_REVIEW, RoutedTo, Status
from consult.timeutil import utcnow

__all__ = [
    "DECLINE_REASONS",
    "BulkResult",
    "ConflictError",
    "QueueFilterError",
    "QueuePage",
    "ReviewError",
    "bulk_forward",
    "can_review",
    "changes_since",
    "claim",
    "decide",
    "identifier_findings",
    "merge",
    "merge_candidates",
    "queue_page",
    "record_hq_feedback",
    "redact_identifiers",
    "release",
    "take_over",
    "update_review",
]

#: Why an input may be declined; the CSO sees the label and the free text.
DECLINE_REASONS: dict[str, Any] = {
    "out-of-scope": _l("Outside the scope of this consultation"),
    "insufficient": _l("Not enough information to act on"),
    "duplicate": _l("Duplicates another input"),
    "personal-data": _l("Consists mainly of personal or identifying information"),
    "abusive": _l("Abusive or inappropriate content"),
    "other": _l("Other reason"),
}

DECISIONS = ("forward", "return", "decline")


class ReviewError(ValueError):
    """A review action the rules do not allow; ``fields`` maps form fields to messages."""

    def __init__(self, message: str, fields: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, list[str]] = dict(fields or {})


class ConflictError(Exception):
    """The input changed since the form was loaded (a stale ``version``)."""

    def __init__(
        self, current_version: int, changes: list[str], *, rolled_back: bool = False
    ) -> None:
        super().__init__(_("This input was changed by someone else since you opened it."))
        self.current_version = current_version
        self.changes = changes
        # True when a lost race rolled the session back (pending changes are gone).
        self.rolled_back = rolled_back


# --- who may act -----------------------------------------------------------


def can_review(user: Any, item: Input) -> bool:
    """Whether ``user`` works on ``item``: its delegation's moderators, or HQ for HQ-routed."""
    if not can_see_input(user, item):
        return False
    if user.role == Role.MODERATOR:
        return True  # can_see_input already limits moderators to their delegation
    if user.role == Role.HQ:
        return item.routed_to == RoutedTo.HQ
    return False


def _require_reviewer(user: Any, item: Input) -> None:
    if not can_review(user, item):
        raise ReviewError(_("You cannot review this input."))


def _require_open(item: Input) -> None:
    if item.status not in OPEN_FOR_REVIEW:
        raise ReviewError(
            _("This input is no longer open for review (it is %(status)s).", status=item.status)
        )


def _require_not_held_by_other(user: Any, item: Input) -> None:
    if item.claimed_by_id is not None and item.claimed_by_id != user.id:
        holder = item.claimed_by.display_name if item.claimed_by else _("a colleague")
        raise ReviewError(_("%(name)s is working on this input. Take it over first.", name=holder))


# --- versions and conflicts ------------------------------------------------


def _check_version(item: Input, version: int | str | None) -> None:
    if version is None:
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        expected = -1
    if expected != item.version:
        raise ConflictError(item.version, changes_since(item, expected))


def changes_since(item: Input, version: int) -> list[str]:
    """What happened to ``item`` after ``version`` was loaded, one line per event."""
    lines: list[str] = []
    for event in sorted(item.events, key=lambda e: (e.created_at, e.id or 0)):
        data = event.data or {}
        event_version = data.get("version")
        if event_version is None or event_version < version:
            continue
        who = event.actor.display_name if event.actor else _("someone")
        lines.append(
            _(
                "%(when)s, %(who)s: %(what)s",
                when=event.created_at.strftime("%d %b %Y %H:%M UTC"),
                who=who,
                what=describe_event(event),
            )
        )
    if not lines:
        lines.append(_("The input was changed since you opened it."))
    return lines


FIELD_LABELS: dict[str, Any] = {
    "priority": _l("priority"),
    "countries": _l("countries"),
    "type": _l("type"),
    "themes": _l("themes"),
    "moderator_summary": _l("moderator summary"),
    "reviewed_title": _l("title"),
    "reviewed_body": _l("body"),
    "recommendations": _l("recommendations"),
}


_REFERENCE_MODELS: dict[str, Any] = {"priority": Priority, "type": InputType, "themes": Theme}


def _reference_names(field: str, value: str | None) -> str:
    """Slugs stored in a correction event, as the names people read (unknown slugs kept)."""
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
        return _("redacted %(count)s identifier(s)", count=data.get("count", 0))
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
    }
    return str(labels.get(kind, kind))  # type: ignore[call-overload]


def _event(
    item: Input,
    user: Any,
    kind: EventKind,
    *,
    message: str | None = None,
    visible: bool = False,
    **data: Any,
) -> ReviewEvent:
    # ``version`` is the one the change started from: a form loaded at that
    # version (or earlier) has not seen this change, so a conflict lists it.
    event = ReviewEvent(
        input_id=item.id,
        actor_id=user.id,
        kind=kind.value,
        message=message,
        is_visible_to_cso=visible,
        data={"version": item.version, **data},
        created_at=utcnow(),
    )
    db.session.add(event)
    item.events.append(event)
    return event


def _save(item: Input) -> None:
    """Bump the version (even for changes in other tables) and flush.

    A concurrent save that won the race makes the UPDATE match no row:
    SQLAlchemy raises ``StaleDataError``; the session is rolled back (this
    request changed nothing) and a :class:`ConflictError` is raised.
    """
    item.updated_at = utcnow()
    version = item.version
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(item)
        raise ConflictError(item.version, changes_since(item, version), rolled_back=True) from None


# --- claims ----------------------------------------------------------------


def claim(user: Any, item: Input, *, version: int | None = None) -> None:
    """Take the input to work on it; colleagues see who holds it."""
    _require_reviewer(user, item)
    _check_version(item, version)
    _require_open(item)
    if item.claimed_by_id == user.id:
        return
    _require_not_held_by_other(user, item)
    _event(item, user, EventKind.CLAIMED)
    item.claimed_by_id = user.id
    item.claimed_at = utcnow()
    item.status = Status.IN_REVIEW
    _save(item)
    record("input.claimed", user, item)


def release(user: Any, item: Input, *, version: int | None = None) -> None:
    """Give back an unfinished claim (only its holder may)."""
    _require_reviewer(user, item)
    _check_version(item, version)
    if item.claimed_by_id != user.id:
        raise ReviewError(_("You do not hold this input."))
    _event(item, user, EventKind.RELEASED)
    item.claimed_by_id = None
    item.claimed_at = None
    _save(item)
    record("input.released", user, item)


def take_over(user: Any, item: Input, *, version: int | None = None) -> None:
    """Take a colleague's unfinished claim (same delegation, or HQ for HQ-routed)."""
    _require_reviewer(user, item)
    _check_version(item, version)
    _require_open(item)
    if item.claimed_by_id is None:
        claim(user, item)
        return
    if item.claimed_by_id == user.id:
        return
    previous = item.claimed_by_id
    _event(item, user, EventKind.TAKEN_OVER, previous_holder=str(previous))
    item.claimed_by_id = user.id
    item.claimed_at = utcnow()
    item.status = Status.IN_REVIEW
    _save(item)
    record("input.taken_over", user, item, previous_holder=str(previous))


# --- corrections and redaction ---------------------------------------------


def redact_passages(text: str, passages: Iterable[str]) -> tuple[str, int]:
    """``text`` with every occurrence of each passage replaced by ``[redacted]``."""
    spans: list[tuple[int, int]] = []
    for passage in passages:
        passage = passage.strip()
        if not passage:
            continue
        start = text.find(passage)
        while start != -1:
            spans.append((start, start + len(passage)))
            start = text.find(passage, start + len(passage))
    if not spans:
        return text, 0
    return redact_spans(text, spans), len(spans)


def update_review(
    user: Any, item: Input, *, version: int | str | None, **changes: Any
) -> list[str]:
    """Apply a reviewer's corrections; return the names of the fields that changed.

    ``changes`` may hold priority_slug, country_codes, type_slug, theme_slugs,
    moderator_summary, reviewed_title, reviewed_body, recommendation_texts
    (recommendation id -> text) and passages (texts to redact everywhere).
    The CSO's original title, body and recommendations are never changed:
    the reviewed text goes to the ``reviewed_*`` fields.
    """
    _require_reviewer(user, item)
    _check_version(item, version)
    _require_open(item)
    _require_not_held_by_other(user, item)
    unknown = set(changes) - {
        "priority_slug",
        "country_codes",
        "type_slug",
        "theme_slugs",
        "moderator_summary",
        "reviewed_title",
        "reviewed_body",
        "recommendation_texts",
        "passages",
    }
    if unknown:
        raise TypeError(f"unknown changes: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    diff: list[dict[str, Any]] = []
    redacted_fields: list[str] = []
    redaction_count = 0

    with db.session.no_autoflush:
        if "priority_slug" in changes and changes["priority_slug"] != item.priority_slug:
            slug = changes["priority_slug"]
            if not slug or db.session.get(Priority, slug) is None:
                errors["priority"] = [_("Choose one of the listed priorities.")]
            else:
                diff.append({"field": "priority", "from": item.priority_slug, "to": slug})
        if "type_slug" in changes and changes["type_slug"] != item.type_slug:
            slug = changes["type_slug"]
            if not slug or db.session.get(InputType, slug) is None:
                errors["input_type"] = [_("Choose one of the listed types.")]
            else:
                diff.append({"field": "type", "from": item.type_slug, "to": slug})
        new_countries: list[str] | None = None
        if "country_codes" in changes:
            codes = list(dict.fromkeys(c for c in changes["country_codes"] or [] if c))
            if codes != item.country_codes:
                problem = _country_problem(user, item, codes)
                if problem:
                    errors["countries"] = [problem]
                else:
                    new_countries = codes
                    diff.append(
                        {
                            "field": "countries",
                            "from": ", ".join(item.country_codes),
                            "to": ", ".join(codes),
                        }
                    )
        new_themes: list[Theme] | None = None
        if "theme_slugs" in changes:
            slugs = list(dict.fromkeys(changes["theme_slugs"] or []))
            current = [t.slug for t in item.themes]
            if sorted(slugs) != sorted(current):
                themes = [db.session.get(Theme, s) for s in slugs]
                if any(t is None for t in themes):
                    errors["themes"] = [_("Choose themes from the list.")]
                else:
                    new_themes = themes  # type: ignore[assignment]
                    diff.append(
                        {"field": "themes", "from": ", ".join(current), "to": ", ".join(slugs)}
                    )

        summary = changes.get("moderator_summary", item.moderator_summary)
        summary = (summary or "").strip() or None
        if summary is not None and len(summary) > SUMMARY_MAX:
            errors["moderator_summary"] = [
                _("Keep the summary under %(n)s characters.", n=SUMMARY_MAX)
            ]

        passages = [p for p in changes.get("passages") or [] if p and p.strip()]
        title = _normalise_text(changes.get("reviewed_title", item.effective_title))
        body = _normalise_text(changes.get("reviewed_body", item.effective_body))
        if passages:
            title, n_title = redact_passages(title, passages)
            body, n_body = redact_passages(body, passages)
            redaction_count += n_title + n_body
        if not title.strip():
            errors["reviewed_title"] = [_("The title cannot be empty.")]
        elif len(title) > TITLE_MAX:
            errors["reviewed_title"] = [_("Keep the title under %(n)s characters.", n=TITLE_MAX)]
        if not body.strip():
            errors["reviewed_body"] = [_("The text cannot be empty.")]
        elif len(body) > BODY_MAX:
            errors["reviewed_body"] = [_("Keep the text under %(n)s characters.", n=BODY_MAX)]

        rec_texts: dict[int, str] = {}
        given = changes.get("recommendation_texts") or {}
        for rec in item.recommendations:
            text = _normalise_text(given.get(rec.id, rec.effective_text))
            if passages:
                text, n = redact_passages(text, passages)
                redaction_count += n
            if not text.strip():
                errors.setdefault("recommendations", []).append(
                    _("A recommendation cannot be empty.")
                )
            elif len(text) > RECOMMENDATION_MAX:
                errors.setdefault("recommendations", []).append(
                    _("Keep each recommendation under %(n)s characters.", n=RECOMMENDATION_MAX)
                )
            rec_texts[rec.id] = text
        if passages and redaction_count == 0:
            errors["passages"] = [_("None of these passages appear in the text.")]

    if errors:
        raise ReviewError(_("Please correct the marked fields."), errors)

    text_changes: list[str] = []
    if summary != item.moderator_summary:
        text_changes.append("moderator_summary")
    if title != item.effective_title:
        text_changes.append("reviewed_title")
    if body != item.effective_body:
        text_changes.append("reviewed_body")
    if any(rec_texts[rec.id] != rec.effective_text for rec in item.recommendations):
        text_changes.append("recommendations")
    changed = [c["field"] for c in diff] + text_changes
    if not changed:
        return []

    diff.extend({"field": name} for name in text_changes)
    _event(item, user, EventKind.CORRECTED, changes=diff)
    if redaction_count:
        redacted_fields = [n for n in text_changes if n != "moderator_summary"]
        _event(item, user, EventKind.REDACTED, count=redaction_count, fields=redacted_fields)
    for change in diff:
        if change["field"] == "priority":
            item.priority_slug = change["to"]
        elif change["field"] == "type":
            item.type_slug = change["to"]
    if new_countries is not None:
        item.set_countries(new_countries)
    if new_themes is not None:
        item.themes = new_themes
    item.moderator_summary = summary
    item.reviewed_title = title if title != item.title else None
    item.reviewed_body = body if body != item.body else None
    for rec in item.recommendations:
        rec.reviewed_text = rec_texts[rec.id] if rec_texts[rec.id] != rec.text else None
    if item.status == Status.SUBMITTED:
        item.status = Status.IN_REVIEW
    _save(item)
    record("input.corrected", user, item, fields=changed)
    if redaction_count:
        record("input.redacted", user, item, count=redaction_count, fields=redacted_fields)
    return changed


def _normalise_text(value: Any) -> str:
    return (value or "").replace("\r\n", "\n")


def _country_problem(user: Any, item: Input, codes: Sequence[str]) -> str | None:
    if not codes:
        return _("Choose at least one country.")
    known = set(db.session.scalars(select(Country.code).where(Country.code.in_(codes))))
    if len(known) != len(codes):
        return _("Choose countries from the list.")
    if item.consultation is not None and item.consultation.countries:
        outside = [c for c in codes if c not in item.consultation.country_codes]
        if outside:
            return _("This consultation does not cover %(codes)s.", codes=", ".join(outside))
    if user.role == Role.MODERATOR:
        main = db.session.get(Country, codes[0])
        if main.delegation_slug != user.delegation_slug:
            return _(
                "The first (main) country must be one your delegation covers; "
                "decline the input if it belongs elsewhere."
            )
    return None


def identifier_findings(
    item: Input, known: Sequence[str] | None = None
) -> dict[str, list[Finding]]:
    """What looks like an identifier in the reviewed text, per field.

    Fields are ``title``, ``body`` and ``rec-<id>`` for each recommendation.
    """
    known = known_identifiers() if known is None else known
    found = {
        "title": find_identifiers(item.effective_title, known),
        "body": find_identifiers(item.effective_body, known),
    }
    for rec in item.recommendations:
        found[f"rec-{rec.id}"] = find_identifiers(rec.effective_text, known)
    return found


def redact_identifiers(
    user: Any, item: Input, selections: Iterable[str], *, version: int | str | None
) -> int:
    """Redact the identifiers the reviewer confirmed; return how many.

    ``selections`` are ``"<field>:<start>:<end>"`` strings from the review
    page's checkboxes; only spans that are still findings in the current
    text are applied (the version check makes sure the text did not move).
    """
    _require_reviewer(user, item)
    _check_version(item, version)
    _require_open(item)
    _require_not_held_by_other(user, item)
    findings = identifier_findings(item)
    wanted: dict[str, list[tuple[int, int]]] = {}
    for value in selections:
        try:
            name, start, end = value.rsplit(":", 2)
            span = (int(start), int(end))
        except ValueError:
            continue
        if any((f.start, f.end) == span for f in findings.get(name, [])):
            wanted.setdefault(name, []).append(span)
    if not wanted:
        raise ReviewError(_("Tick at least one identifier to redact."))
    count = sum(len(spans) for spans in wanted.values())
    fields = sorted(wanted)
    _event(item, user, EventKind.REDACTED, count=count, fields=fields)
    if "title" in wanted:
        title = redact_spans(item.effective_title, wanted["title"])
        item.reviewed_title = title if title != item.title else None
    if "body" in wanted:
        body = redact_spans(item.effective_body, wanted["body"])
        item.reviewed_body = body if body != item.body else None
    for rec in item.recommendations:
        spans = wanted.get(f"rec-{rec.id}")
        if spans:
            rec.reviewed_text = redact_spans(rec.effective_text, spans)
    if item.status == Status.SUBMITTED:
        item.status = Status.IN_REVIEW
    _save(item)
    record("input.redacted", user, item, count=count, fields=fields)
    return count


# --- duplicates -------------------------------------------------------------


def merge_candidates(user: Any, item: Input, limit: int = 100) -> list[Input]:
    """Inputs of the same consultation in the reviewer's scope that ``item`` may duplicate."""
    if not can_review(user, item):
        return []
    stmt = (
        select(Input)
        .where(
            Input.consultation_id == item.consultation_id,
            Input.id != item.id,
            Input.merged_into_id.is_(None),
            Input.status.not_in([Status.DRAFT, Status.WITHDRAWN]),
            Input.routed_to == item.routed_to,
        )
        .order_by(Input.submitted_at, Input.id)
        .limit(limit)
    )
    if item.routed_to == RoutedTo.DELEGATION:
        stmt = stmt.where(
            Input.delegation_slug == item.delegation_slug, Input.is_hq_direct.is_(False)
        )
    return [c for c in db.session.scalars(stmt) if can_review(user, c)]


def merge(user: Any, duplicate: Input, target: Input, *, version: int | str | None) -> None:
    """Mark ``duplicate`` as a duplicate of ``target`` (digests count them once).

    Both keep their own status and timeline: neither CSO learns of the other.
    """
    _require_reviewer(user, duplicate)
    _check_version(duplicate, version)
    if not can_review(user, target):
        raise ReviewError(_("Choose an input from your own queue."))
    if target.id == duplicate.id:
        raise ReviewError(
            _("An input cannot duplicate itself."), {"target": [_("Choose another input.")]}
        )
    if duplicate.merged_into_id is not None:
        raise ReviewError(_("This input is already marked as a duplicate."))
    if target.merged_into_id is not None:
        raise ReviewError(
            _("That input is itself a duplicate; merge into the input it duplicates."),
            {"target": [_("Choose an input that is not a duplicate.")]},
        )
    _require_not_held_by_other(user, duplicate)
    _event(duplicate, user, EventKind.MERGED, merged_into=str(target.id))
    _event(target, user, EventKind.MERGED, duplicate=str(duplicate.id))
    duplicate.merged_into_id = target.id
    _save(duplicate)
    record("input.merged", user, duplicate, merged_into=str(target.id))


# --- decisions --------------------------------------------------------------


def decide(
    user: Any,
    item: Input,
    action: str,
    message: str | None = None,
    *,
    version: int | str | None,
    reason: str | None = None,
) -> None:
    """Forward (``message`` is the note to HQ), return (the question) or decline.

    A decline needs a reason from :data:`DECLINE_REASONS`; ``message`` adds free text.
    """
    if action not in DECISIONS:
        raise ReviewError(_("Unknown decision."))
    _require_reviewer(user, item)
    _check_version(item, version)
    _require_open(item)
    _require_not_held_by_other(user, item)
    message = (message or "").strip() or None
    if message and len(message) > MESSAGE_MAX:
        raise ReviewError(
            _("Keep the message under %(n)s characters.", n=MESSAGE_MAX),
            {"message": [_("Keep the message under %(n)s characters.", n=MESSAGE_MAX)]},
        )
    now = utcnow()
    if action == "forward":
        _event(item, user, EventKind.FORWARDED, visible=True)
        item.status = Status.FORWARDED
        item.forwarded_at = now
        if message:
            item.hq_note = message
    elif action == "return":
        if not message:
            raise ReviewError(
                _("Write the question for the CSO."),
                {"message": [_("Write the question for the CSO.")]},
            )
        _event(item, user, EventKind.RETURNED, message=message, visible=True)
        item.status = Status.RETURNED
    else:
        if reason not in DECLINE_REASONS:
            raise ReviewError(
                _("Choose a reason for declining."),
                {"reason": [_("Choose a reason for declining.")]},
            )
        label = str(DECLINE_REASONS[reason])
        text = f"{label}. {message}" if message else label
        _event(item, user, EventKind.DECLINED, message=text, visible=True, reason=reason)
        item.status = Status.DECLINED
    item.decided_at = now
    item.claimed_by_id = None
    item.claimed_at = None
    _save(item)
    detail: dict[str, Any] = {"reason": reason} if action == "decline" else {}
    record(f"input.{_PAST[action]}", user, item, **detail)


_PAST = {"forward": "forwarded", "return": "returned", "decline": "declined"}


@dataclass
class BulkResult:
    forwarded: list[Input] = field(default_factory=list)
    skipped: list[tuple[Input, str]] = field(default_factory=list)


def bulk_forward(
    user: Any, items: Iterable[Input], versions: Mapping[uuid.UUID, int] | None = None
) -> BulkResult:
    """Forward each input that is open and not held by someone else; say why others are not."""
    result = BulkResult()
    pending = list(items)
    while pending:
        item = pending.pop(0)
        version = (versions or {}).get(item.id)
        try:
            decide(user, item, "forward", version=version)
        except ConflictError as conflict:
            result.skipped.append((item, _("changed since you loaded the queue")))
            if conflict.rolled_back:
                # A lost race rolled back the inputs forwarded so far: redo them.
                pending = result.forwarded + pending
                result.forwarded = []
        except ReviewError as error:
            result.skipped.append((item, error.message))
        else:
            result.forwarded.append(item)
    return result


# --- HQ feedback ------------------------------------------------------------


def record_hq_feedback(
    user: Any, item: Input, note: str, *, version: int | str | None = None
) -> None:
    """Say how HQ used a forwarded input; the CSO sees the note."""
    if user.role != Role.HQ or not can_see_input(user, item):
        raise ReviewError(_("Only HQ analysts record how an input was used."))
    _check_version(item, version)
    if item.status not in FORWARDED_STATUSES:
        raise ReviewError(_("Only forwarded inputs can be marked as used."))
    note = (note or "").strip()
    if not note:
        raise ReviewError(
            _("Say how the input was used."), {"note": [_("Say how the input was used.")]}
        )
    if len(note) > MESSAGE_MAX:
        raise ReviewError(
            _("Keep the note under %(n)s characters.", n=MESSAGE_MAX),
            {"note": [_("Keep the note under %(n)s characters.", n=MESSAGE_MAX)]},
        )
    _event(item, user, EventKind.USED, message=note, visible=True)
    item.hq_feedback = note
    item.status = Status.USED
    item.used_at = utcnow()
    _save(item)
    record("input.feedback_recorded", user, item)
