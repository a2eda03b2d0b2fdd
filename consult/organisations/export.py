"""An organisation's own data, as a ZIP of JSON files and its attachments.

What goes in is what the organisation gave or may see: its details, its
members (no password hashes or second-factor secrets), every input as its
members wrote it, the feedback EU staff addressed to it, and the files it
attached. Internal EU notes (moderator summaries, HQ notes, redacted
versions) stay out: they were never the organisation's to see.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from sqlalchemy import select

from consult.audit.services import record
from consult.auth.models import User
from consult.conversations.models import CSO_SIDE, Message, MessageAttachment
from consult.conversations.services import thread_of
from consult.extensions import db
from consult.inputs.files import attachment_bytes, attachment_exists
from consult.inputs.models import Attachment, Input
from consult.inputs.plain import as_written, iso
from consult.organisations.models import Organisation
from consult.timeutil import utcnow

EXPORT_VERSION = 1


def _organisation(org: Organisation) -> dict[str, Any]:
    return {
        "id": str(org.id),
        "name": org.name,
        "contact_email": org.contact_email,
        "countries": org.country_codes,
        "is_verified": org.is_verified,
        "created_at": iso(org.created_at),
        "erasure_requested_at": iso(org.erasure_requested_at),
    }


def _member(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "email": user.email,
        "full_name": user.full_name,
        "is_org_admin": bool(user.is_org_admin),
        "active": bool(user.active),
        "two_factor": user.has_totp,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
    }


def attachment_member(att: Attachment) -> str:
    name = att.filename.replace("/", "_").replace("\\", "_")
    return f"files/{att.id}/{name}"


def message_file_member(att: MessageAttachment) -> str:
    name = att.filename.replace("/", "_").replace("\\", "_")
    return f"files/messages/{att.id}/{name}"


def _message(message: Message) -> dict[str, Any]:
    """A message as the organisation saw it: its own members by email, reviewers by side only."""
    from_cso = message.side == CSO_SIDE
    return {
        "from": "organisation" if from_cso else "reviewers",
        "author": message.author.email if from_cso and message.author else None,
        "question": message.is_question,
        "text": message.body,
        "at": iso(message.created_at),
        "attachments": [
            {
                "filename": att.filename,
                "content_type": att.content_type,
                "size": att.size,
                "sha256": att.sha256,
                "path": message_file_member(att),
            }
            for att in message.attachments
        ],
    }


def _input(item: Input, messages: list[Message]) -> dict[str, Any]:
    feedback = [
        {"kind": event.kind, "message": event.message, "at": iso(event.created_at)}
        for event in item.events
        if event.is_visible_to_cso
    ]
    return {
        "id": str(item.id),
        "consultation": {"slug": item.consultation.slug, "title": item.consultation.title},
        "status": item.status,
        **as_written(item),
        "author": item.author.email if item.author else None,
        "hq_feedback": item.hq_feedback,
        "feedback": feedback,
        "attachments": [
            {
                "filename": att.filename,
                "content_type": att.content_type,
                "size": att.size,
                "sha256": att.sha256,
                "path": attachment_member(att),
            }
            for att in item.attachments
        ],
        "messages": [_message(m) for m in messages],
        "created_at": iso(item.created_at),
        "submitted_at": iso(item.submitted_at),
        "decided_at": iso(item.decided_at),
    }


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def export_filename() -> str:
    return f"consult-organisation-export-{utcnow():%Y%m%d}.zip"


def export_organisation(user: User, org: Organisation) -> IO[bytes]:
    """Write the ZIP to a temporary file (rewound) and audit the export; the caller commits.

    The file spills to disk past a few megabytes, so attachments do not
    have to fit in memory.
    """
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    members = db.session.scalars(
        select(User).where(User.organisation_id == org.id).order_by(User.email)
    )
    inputs = db.session.scalars(
        select(Input).where(Input.organisation_id == org.id).order_by(Input.created_at)
    )
    files = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        exported_inputs = []
        for item in inputs:
            messages = thread_of(item)
            exported_inputs.append(_input(item, messages))
            stored = [(att, attachment_member(att)) for att in item.attachments] + [
                (att, message_file_member(att)) for m in messages for att in m.attachments
            ]
            for att, member in stored:
                if attachment_exists(att):
                    archive.writestr(member, attachment_bytes(att))
                    files += 1
        archive.writestr("organisation.json", _dump(_organisation(org)))
        archive.writestr("members.json", _dump([_member(m) for m in members]))
        archive.writestr("inputs.json", _dump(exported_inputs))
        archive.writestr(
            "export.json",
            _dump(
                {
                    "version": EXPORT_VERSION,
                    "exported_at": iso(utcnow()),
                    "exported_by": user.email,
                    "inputs": len(exported_inputs),
                    "files": files,
                }
            ),
        )
    out.seek(0)
    record("organisation.exported", user, org, inputs=len(exported_inputs), files=files)
    return out
