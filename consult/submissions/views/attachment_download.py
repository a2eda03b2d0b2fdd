"""An attachment downloaded by someone allowed to see its input."""

from __future__ import annotations

from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.audit.services import record
from consult.extensions import db
from consult.inputs.files import send_stored
from consult.inputs.scope import load_attachment
from consult.submissions.views.blueprint import bp


@bp.route("/attachments/<attachment_id>")
@login_only
def download_attachment(attachment_id: str) -> Response:
    """Stream an attachment as a download to a user allowed to see its input."""
    attachment = load_attachment(attachment_id, current_user)
    response = send_stored(attachment)  # 404 before anything is audited when the file is gone
    record("attachment.downloaded", current_user, attachment, input_id=str(attachment.input_id))
    db.session.commit()
    return response
