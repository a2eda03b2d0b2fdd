"""The CSO's own material: the sealed original text and the attachments."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template
from flask_login import current_user

from consult.access import requires
from consult.audit.services import record
from consult.extensions import db
from consult.inputs.files import attachment_download, attachment_exists
from consult.inputs.scope import load_attachment, load_input
from consult.review.views.blueprint import bp


@bp.route("/inputs/<input_id>/original")
@requires("view_sealed_original")
def original(input_id: str) -> str:
    """The CSO's text as submitted, before any redaction (admins; every view audited)."""
    item = load_input(input_id, current_user)
    record("input.original_viewed", current_user, item)
    html = render_template("review/original.html", item=item)
    db.session.commit()
    return html


@bp.route("/attachments/<attachment_id>")
@requires("review")
def attachment(attachment_id: str) -> Any:
    """An attachment of an input the reviewer may see (404 otherwise; each download audited)."""
    att = load_attachment(attachment_id, current_user)
    if not attachment_exists(att):
        abort(404)
    record("attachment.downloaded", current_user, att, input_id=str(att.input_id))
    db.session.commit()
    return attachment_download(att) or abort(404)
