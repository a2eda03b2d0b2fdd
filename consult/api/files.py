"""Downloads of stored files through the API: an input's attachments, a message's files.

The same scope as the web's downloads (404 outside it, audited inside), and
the same response: always a download, never rendered.
"""

from __future__ import annotations

from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import deny, login_only
from consult.api.blueprint import bp
from consult.audit.services import record
from consult.conversations.services import load_message_attachment
from consult.extensions import db
from consult.inputs.files import send_stored
from consult.inputs.scope import load_attachment


def _not_on(input_id: str, found_on: object, attachment_id: str) -> None:
    if str(found_on) != input_id:
        deny(current_user, "file of another input", object_type="file", object_id=attachment_id)


@bp.route("/inputs/<input_id>/attachments/<attachment_id>", methods=["GET"])
@login_only
def download_attachment(input_id: str, attachment_id: str) -> Response:
    """An attachment of an input the caller may see."""
    attachment = load_attachment(attachment_id, current_user)
    _not_on(input_id, attachment.input_id, attachment_id)
    response = send_stored(attachment)  # 404 before anything is audited when the file is gone
    record("attachment.downloaded", current_user, attachment, input_id=input_id, via="api")
    db.session.commit()
    return response


@bp.route("/inputs/<input_id>/messages/files/<attachment_id>", methods=["GET"])
@login_only
def download_message_file(input_id: str, attachment_id: str) -> Response:
    """A file sent in the thread of an input the caller may see."""
    attachment = load_message_attachment(attachment_id, current_user)
    _not_on(input_id, attachment.message.input_id, attachment_id)
    response = send_stored(attachment)
    record("message_attachment.downloaded", current_user, attachment, via="api")
    db.session.commit()
    return response
