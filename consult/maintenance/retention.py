"""Retention and erasure: delete inputs and their files, keep only counts.

Rows go first, in one transaction; files are unlinked only after that
transaction committed (:mod:`consult.maintenance.filetx`). A crash in
between leaves files without rows, which ``flask --app consult
check-storage --fix`` removes; it never leaves a row whose file is gone.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update

from consult.audit.services import record
from consult.auth.models import User
from consult.conversations.models import Message, MessageAttachment
from consult.extensions import db
from consult.filestore import ATTACHMENTS, store
from consult.inputs.models import Attachment, Consultation, Input, InputCountry
from consult.maintenance.models import PurgedInputCount
from consult.notifications.outbox import purge_old_news
from consult.organisations.models import Organisation
from consult.timeutil import utcnow

#: Inputs are deleted in batches so that memory stays flat on big consultations.
BATCH = 200
#: A pending upload (its form never saved) is kept this long for the CSO to finish.
PENDING_UPLOAD_HOURS = 24


@dataclass
class PurgeReport:
    """What a purge deleted (or, in a dry run, would delete)."""

    consultations: list[str] = field(default_factory=list)
    inputs: int = 0
    attachments: int = 0
    pending_attachments: int = 0
    organisations: list[str] = field(default_factory=list)
    users: int = 0
    old_news: int = 0
    files: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"inputs deleted: {self.inputs}",
            f"attachments deleted: {self.attachments}",
            f"abandoned uploads deleted: {self.pending_attachments}",
            f"old notifications and sent emails deleted: {self.old_news}",
        ]
        if self.consultations:
            out.append("consultations past retention: " + ", ".join(self.consultations))
        if self.organisations:
            out.append(f"organisations erased: {len(self.organisations)}")
            out.append(f"accounts erased: {self.users}")
        return out


def retention_cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    """Consultations that closed before this moment are past retention."""
    if days is None:
        days = int(current_app.config["RETENTION_DAYS"])
    return (now or utcnow()) - timedelta(days=days)


def expired_consultations(now: datetime | None = None) -> list[Consultation]:
    cutoff = retention_cutoff(now)
    return list(
        db.session.scalars(
            select(Consultation).where(Consultation.closes_at <= cutoff).order_by(Consultation.slug)
        )
    )


def _count_into_aggregates(input_ids: list[uuid.UUID]) -> None:
    """Add the inputs about to be deleted to the per-cell counts of their consultation."""
    main_country = (
        select(InputCountry.input_id, InputCountry.country_code)
        .where(InputCountry.position == 0)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Input.consultation_id, Input.priority_slug, main_country.c.country_code, Input.type_slug
        )
        .outerjoin(main_country, main_country.c.input_id == Input.id)
        .where(Input.id.in_(input_ids))
        # Drafts never reached anyone; they are deleted without being counted.
        .where(Input.submitted_at.is_not(None))
        # A merged duplicate was counted once, as its target.
        .where(Input.merged_into_id.is_(None))
    ).all()
    cells = Counter((c, p or "", k or "", t or "") for c, p, k, t in rows)
    for (consultation_id, priority, country, type_), n in cells.items():
        cell = db.session.scalar(
            select(PurgedInputCount).where(
                PurgedInputCount.consultation_id == consultation_id,
                PurgedInputCount.priority_slug == priority,
                PurgedInputCount.country_code == country,
                PurgedInputCount.type_slug == type_,
            )
        )
        if cell is None:
            cell = PurgedInputCount(
                consultation_id=consultation_id,
                priority_slug=priority,
                country_code=country,
                type_slug=type_,
                count=0,
            )
            db.session.add(cell)
        cell.count += n
    db.session.flush()


def _delete_attachments(where: object, report: PurgeReport, model: type = Attachment) -> int:
    """Delete file rows of ``model`` matching ``where``; remember their files for after commit."""
    attachments = list(db.session.scalars(select(model).where(where)))  # type: ignore[arg-type]
    files = store()
    for att in attachments:
        path = files.local_path(ATTACHMENTS, att.storage_name)
        if path is not None:
            report.files.append(path)
        files.delete(ATTACHMENTS, att.storage_name)
    if attachments:
        db.session.execute(
            delete(model)
            .where(model.id.in_([a.id for a in attachments]))  # type: ignore[attr-defined]
            .execution_options(synchronize_session=False)
        )
    return len(attachments)


def _delete_message_files(input_ids: list[uuid.UUID], report: PurgeReport) -> int:
    """The files sent in the threads of these inputs (the messages go by ON DELETE CASCADE)."""
    messages = select(Message.id).where(Message.input_id.in_(input_ids))
    return _delete_attachments(
        MessageAttachment.message_id.in_(messages), report, model=MessageAttachment
    )


def delete_inputs(input_ids: Iterable[uuid.UUID], report: PurgeReport) -> None:
    """Delete inputs with everything hanging off them; counts are kept (flush, no commit).

    Children (countries, themes, recommendations, the timeline, revisions,
    the message thread, notifications) go through the database's ON DELETE
    CASCADE; attachments, the input's and its messages', are deleted
    explicitly because their files must follow.
    """
    ids = list(input_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        _count_into_aggregates(batch)
        report.attachments += _delete_attachments(Attachment.input_id.in_(batch), report)
        report.attachments += _delete_message_files(batch, report)
        # Duplicates pointing at a deleted input stay, unmerged (and are
        # counted as themselves if they are purged later).
        db.session.execute(
            update(Input)
            .where(Input.merged_into_id.in_(batch))
            .values(merged_into_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            delete(Input).where(Input.id.in_(batch)).execution_options(synchronize_session=False)
        )
        report.inputs += len(batch)
    db.session.flush()
    db.session.expire_all()


def purge_expired(now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Delete the inputs of consultations past retention, and abandoned uploads.

    Does not commit; the files go once the caller commits.
    """
    now = now or utcnow()
    report = PurgeReport()
    for consultation in expired_consultations(now):
        ids = list(
            db.session.scalars(select(Input.id).where(Input.consultation_id == consultation.id))
        )
        if not ids:
            continue
        report.consultations.append(consultation.slug)
        if dry_run:
            report.inputs += len(ids)
            report.attachments += len(
                list(db.session.scalars(select(Attachment.id).where(Attachment.input_id.in_(ids))))
            )
            continue
        delete_inputs(ids, report)
        record(
            "retention.purged",
            None,
            consultation,
            inputs=len(ids),
            retention_days=int(current_app.config["RETENTION_DAYS"]),
        )
    stale = now - timedelta(hours=PENDING_UPLOAD_HOURS)
    pending = Attachment.input_id.is_(None) & (Attachment.created_at < stale)
    if dry_run:
        report.pending_attachments = len(
            list(db.session.scalars(select(Attachment.id).where(pending)))
        )
    else:
        report.pending_attachments = _delete_attachments(pending, report)
        report.old_news = purge_old_news(now)
    db.session.flush()
    return report


def request_erasure(user: User, organisation: Organisation) -> bool:
    """Record that ``organisation`` asks for its data to be erased; False if already asked."""
    if organisation.erasure_requested_at is not None:
        return False
    organisation.erasure_requested_at = utcnow()
    record("organisation.erasure_requested", user, organisation)
    db.session.flush()
    return True


def cancel_erasure(user: User, organisation: Organisation) -> bool:
    if organisation.erasure_requested_at is None:
        return False
    organisation.erasure_requested_at = None
    record("organisation.erasure_cancelled", user, organisation)
    db.session.flush()
    return True


def organisations_awaiting_erasure() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.erasure_requested_at.is_not(None))
            .order_by(Organisation.erasure_requested_at)
        )
    )


def erase_organisation(organisation: Organisation, report: PurgeReport) -> None:
    """Delete an organisation, its accounts, its inputs and their files (flush, no commit).

    Counts of its submitted inputs are kept, without its name. The audit
    log keeps the organisation's id (no name) and the fact of the erasure.
    """
    org_id = organisation.id
    ids = list(db.session.scalars(select(Input.id).where(Input.organisation_id == org_id)))
    delete_inputs(ids, report)
    report.attachments += _delete_attachments(Attachment.organisation_id == org_id, report)
    report.attachments += _delete_attachments(
        MessageAttachment.organisation_id == org_id, report, model=MessageAttachment
    )
    users = list(db.session.scalars(select(User.id).where(User.organisation_id == org_id)))
    if users:
        db.session.execute(
            delete(User).where(User.id.in_(users)).execution_options(synchronize_session=False)
        )
    report.users += len(users)
    db.session.execute(
        delete(Organisation)
        .where(Organisation.id == org_id)
        .execution_options(synchronize_session=False)
    )
    report.organisations.append(str(org_id))
    record(
        "organisation.erased",
        None,
        object_type="organisations",
        object_id=str(org_id),
        inputs=len(ids),
        accounts=len(users),
    )
    db.session.flush()
    db.session.expire_all()


def erase_requested(report: PurgeReport, *, dry_run: bool = False) -> PurgeReport:
    """Carry out every pending erasure request."""
    for organisation in organisations_awaiting_erasure():
        if dry_run:
            n = len(
                list(
                    db.session.scalars(
                        select(Input.id).where(Input.organisation_id == organisation.id)
                    )
                )
            )
            report.inputs += n
            report.organisations.append(str(organisation.id))
            continue
        erase_organisation(organisation, report)
    return report
