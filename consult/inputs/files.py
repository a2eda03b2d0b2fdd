"""Where an attachment's bytes are stored: one rule for every reader and writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app


def upload_dir() -> Path:
    """The folder of every stored file (``UPLOAD_DIR``, outside ``static/``)."""
    return Path(current_app.config["UPLOAD_DIR"])


def attachment_path(att: Any) -> Path:
    """Where the stored (cleaned) bytes of ``att`` are."""
    return upload_dir() / att.storage_name


def send_stored(att: Any) -> Any:
    """A download response for a stored file (an input's or a message's), or 404 if it is gone.

    Sent as an attachment, never rendered: no sniffing, and a sandbox should a
    browser open it anyway.
    """
    from flask import abort, send_file

    path = attachment_path(att)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=att.content_type,
        as_attachment=True,
        download_name=att.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
