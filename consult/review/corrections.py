"""A reviewer's corrections: classification, summary and the reviewed text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.audit.services import record
from consult.extensions import db
from consult.inputs.events import EventKind
from consult.inputs.models import (
    BODY_MAX,
    RECOMMENDATION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Input,
)
from consult.inputs.scope import works_for_a_delegation
from consult.reference.models import Country, InputType, Priority, Theme
from consult.review.conflicts import check_version, save_input
from consult.review.redaction import redact_passages
from consult.review.rules import (
    ReviewError,
    require_not_held_by_other,
    require_open,
    require_reviewer,
)
from consult.review.timeline import record_event, record_work
from consult.submissions.validation import LANGUAGE_CODES


def update_review(
    user: Any, item: Input, *, version: int | str | None, **changes: Any
) -> list[str]:
    """Apply a reviewer's corrections; return the names of the fields that changed.

    ``changes`` may hold priority_slug, country_codes, type_slug, theme_slugs,
    language, moderator_summary, reviewed_title, reviewed_body, recommendation_texts
    (recommendation id -> text) and passages (texts to redact everywhere).
    The CSO's original title, body and recommendations are never changed:
    the reviewed text goes to the ``reviewed_*`` fields.
    """
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    require_not_held_by_other(user, item)
    unknown = set(changes) - {
        "priority_slug",
        "country_codes",
        "type_slug",
        "theme_slugs",
        "language",
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
        if "language" in changes and changes["language"] != item.language:
            code = changes["language"]
            if code not in LANGUAGE_CODES:
                errors["language"] = [_("Choose a language from the list.")]
            else:
                diff.append({"field": "language", "from": item.language, "to": code})
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
    record_work(item, user, EventKind.CORRECTED, changes=diff)
    if redaction_count:
        redacted_fields = [n for n in text_changes if n != "moderator_summary"]
        record_event(item, user, EventKind.REDACTED, count=redaction_count, fields=redacted_fields)
    for change in diff:
        if change["field"] == "priority":
            item.priority_slug = change["to"]
        elif change["field"] == "type":
            item.type_slug = change["to"]
        elif change["field"] == "language":
            item.language = change["to"]
    if new_countries is not None:
        item.set_countries(new_countries)
    if new_themes is not None:
        item.themes = new_themes
    item.moderator_summary = summary
    item.reviewed_title = title if title != item.title else None
    item.reviewed_body = body if body != item.body else None
    for rec in item.recommendations:
        rec.reviewed_text = rec_texts[rec.id] if rec_texts[rec.id] != rec.text else None
    save_input(item)
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
    if works_for_a_delegation(user):
        main = db.session.get(Country, codes[0])
        if main.delegation_slug != user.delegation_slug:
            return _(
                "The first (main) country must be one your delegation covers; "
                "decline the input if it belongs elsewhere."
            )
    return None
