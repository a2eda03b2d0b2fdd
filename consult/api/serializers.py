"""Model objects as the JSON the API returns (shapes described in ``openapi.py``).

What a caller sees of an input depends on who they are, exactly as on the web
pages: a CSO sees its own text and only the events meant for it; EU staff see
the reviewed text; the organisation is named only where ``may_see_organisation``
allows; only an administrator sees a reviewed input's sealed original.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from consult.access import may
from consult.i18n import current_locale, label
from consult.inputs.consultation_texts import local_text
from consult.inputs.models import Attachment, Consultation, Input
from consult.inputs.plain import choices, iso, texts
from consult.inputs.scope import may_see_organisation, speaks_for_an_organisation
from consult.inputs.states import STATUS_LABELS, Status


def consultation_json(item: Consultation) -> dict[str, Any]:
    """A consultation in the language asked for (``Accept-Language``), else in English."""
    texts = local_text(item, current_locale())
    return {
        "id": str(item.id),
        "slug": item.slug,
        "title": texts.title,
        "description": texts.description,
        "language": texts.locale,
        "partly_english": texts.partly_english,
        "is_open": item.is_open,
        "opens_at": iso(item.opens_at),
        "closes_at": iso(item.closes_at),
        "countries": item.country_codes,
        "guiding_questions": [
            {"priority": slug, "text": text} for slug, text in texts.question_list()
        ],
    }


def attachment_json(att: Attachment) -> dict[str, Any]:
    return {
        "id": str(att.id),
        "filename": att.filename,
        "content_type": att.content_type,
        "size": att.size,
        "sha256": att.sha256,
        "created_at": iso(att.created_at),
        "url": url_for("api.download_attachment", input_id=att.input_id, attachment_id=att.id)
        if att.input_id is not None
        else None,
    }


def _is_cso(user: Any) -> bool:
    return speaks_for_an_organisation(user)


def input_summary_json(item: Input, user: Any) -> dict[str, Any]:
    """The fields of a list row: no body, no timeline."""
    cso = _is_cso(user)
    org = None
    if may_see_organisation(user, item) and item.organisation is not None:
        org = {"id": str(item.organisation.id), "name": item.organisation.name}
    return {
        "id": str(item.id),
        "consultation": item.consultation.slug,
        "status": item.status,
        "status_label": label(STATUS_LABELS[Status(item.status)]),
        "version": item.version,
        "routed_to": item.routed_to,
        "delegation": item.delegation_slug,
        **choices(item),
        "title": item.title if cso else item.effective_title,
        "organisation": org,
        "claimed_by": None if cso or item.claimed_by is None else item.claimed_by.display_name,
        "merged_into": str(item.merged_into_id) if item.merged_into_id else None,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "submitted_at": iso(item.submitted_at),
        "forwarded_at": iso(item.forwarded_at),
        "decided_at": iso(item.decided_at),
    }


def input_json(item: Input, user: Any) -> dict[str, Any]:
    """One input in full, as ``user`` may see it."""
    cso = _is_cso(user)
    data = {**input_summary_json(item, user), **texts(item, reviewed=not cso)}
    data["moderator_summary"] = None if cso else item.moderator_summary
    data["hq_feedback"] = item.hq_feedback
    data["hq_note"] = None if cso else item.hq_note  # the moderator's note to HQ
    data["is_redacted"] = False if cso else item.is_redacted
    data["original"] = (
        {"title": item.title, "body": item.body}
        if may(user, "view_sealed_original") and item.is_redacted
        else None
    )
    data["attachments"] = [attachment_json(att) for att in item.attachments]
    data["timeline"] = [
        {
            "kind": event.kind,
            "at": iso(event.created_at),
            "message": event.message,
            "visible_to_cso": event.is_visible_to_cso,
        }
        for event in item.events
        if not cso or event.is_visible_to_cso
    ]
    return data
