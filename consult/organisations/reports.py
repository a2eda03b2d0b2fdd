"""The report back to participants: published reports, and what became of the own inputs.

An organisation that took part in a consultation (it sent at least one
input) may download every published external release of it: the very files
HQ publishes, rendered by :func:`consult.digest.services.render_digest` from
the stored release, in any interface language. Beside them it sees each of
its own inputs with its status and HQ's note on how it was used, and
nothing about any other organisation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from consult.access import deny, parse_uuid
from consult.digest.filters import DigestFilters
from consult.digest.releases.models import Release
from consult.digest.rendering import render_digest
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.inputs.states import Status

#: The report formats a participant downloads: the narrative report, as a page or a document.
REPORT_FORMATS = ("html", "docx")


@dataclass
class ConsultationReports:
    """One consultation the organisation took part in: its releases and the own inputs."""

    consultation: Consultation
    releases: list[Release]
    inputs: list[Input]


def _sent(organisation_id: uuid.UUID) -> Any:
    return (Input.organisation_id == organisation_id) & (Input.status != Status.DRAFT.value)


def took_part(organisation_id: uuid.UUID | None, consultation_id: uuid.UUID) -> bool:
    if organisation_id is None:
        return False
    found = db.session.scalar(
        select(Input.id).where(_sent(organisation_id), Input.consultation_id == consultation_id)
    )
    return found is not None


def reports_of(organisation_id: uuid.UUID) -> list[ConsultationReports]:
    """Every consultation the organisation sent inputs to, newest first."""
    inputs = list(
        db.session.scalars(
            select(Input).where(_sent(organisation_id)).order_by(Input.submitted_at.desc())
        )
    )
    by_consultation: dict[uuid.UUID, ConsultationReports] = {}
    for item in inputs:
        entry = by_consultation.get(item.consultation_id)
        if entry is None:
            releases = list(
                db.session.scalars(
                    select(Release)
                    .where(Release.consultation_id == item.consultation_id)
                    .order_by(Release.number.desc())
                )
            )
            entry = ConsultationReports(item.consultation, releases, [])
            by_consultation[item.consultation_id] = entry
        entry.inputs.append(item)
    return sorted(by_consultation.values(), key=lambda e: e.consultation.opens_at, reverse=True)


def load_participant_release(user: Any, release_id: str) -> Release:
    """A release of a consultation ``user``'s organisation took part in, else 404."""
    release = db.session.get(Release, parse_uuid(release_id))
    if release is None or not took_part(user.organisation_id, release.consultation_id):
        deny(
            user,
            "release of a consultation not taken part in",
            object_type="releases",
            object_id=release_id,
        )
    return release


@dataclass
class ReportFile:
    data: bytes
    mimetype: str
    filename: str


def participant_report(user: Any, release: Release, fmt: str, language: str | None) -> ReportFile:
    """The release's external report in ``fmt`` and ``language`` (audited as a download)."""
    languages = current_app.config.get("LANGUAGES", ["en"])
    locale = language if language in languages else None
    filters = DigestFilters(
        consultation=release.consultation.slug, release=release.number, audience="external"
    )

    def render() -> ReportFile:
        digest_file = render_digest(fmt, filters, user, via="participant")
        # The whole file now, while the language is in force (a report is small).
        return ReportFile(b"".join(digest_file.chunks), digest_file.mimetype, digest_file.filename)

    if locale is None:
        return render()
    with force_locale(locale):
        return render()
