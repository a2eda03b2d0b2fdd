"""Adding a file to an input: only to a draft or to an input returned to the CSO.

The web form stores files through its upload key (they stay pending until
the form is saved, see :mod:`consult.submissions.attachments`); the API
attaches a file to a saved input at once, through :func:`add_attachment`.
"""

from __future__ import annotations

from typing import IO, Any

from flask_babel import gettext as _

from consult.inputs.models import Attachment, Input
from consult.inputs.states import FILES_EDITABLE
from consult.submissions.attachments import store_attachment
from consult.submissions.rules import SubmissionError, require_cso, require_own


def require_attachable(user: Any, item: Input) -> None:
    """Refuse unless ``user``'s organisation may attach files to ``item`` now."""
    require_cso(user)
    require_own(user, item)
    if item.status not in FILES_EDITABLE:
        raise SubmissionError(
            _("Files can be attached to a draft or to an input returned to you, not to this one.")
        )


def add_attachment(user: Any, item: Input, stream: IO[bytes], filename: str | None) -> Attachment:
    """Check, clean and attach one file to ``item``; the caller commits."""
    require_attachable(user, item)
    return store_attachment(user, stream, filename, item=item)
