"""Where an attachment's bytes are stored: one rule for every reader and writer.

The bytes are in the configured storage (:mod:`consult.filestore`, namespace
``attachments``, named by ``Attachment.storage_name``): a folder on this
machine (``UPLOAD_DIR``) or PostgreSQL large objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, send_file, stream_with_context

from consult.filestore import ATTACHMENTS, store


def upload_dir() -> Path:
    """The folder of every stored file with local storage (``UPLOAD_DIR``, outside ``static/``)."""
    return Path(current_app.config["UPLOAD_DIR"])


def attachment_path(att: Any) -> Path:
    """Where the stored (cleaned) bytes of ``att`` are with local storage."""
    return upload_dir() / att.storage_name


def attachment_exists(att: Any) -> bool:
    return store().exists(ATTACHMENTS, att.storage_name)


def attachment_bytes(att: Any) -> bytes:
    return b"".join(store().chunks(ATTACHMENTS, att.storage_name))


def attachment_download(att: Any) -> Response | None:
    """A download of the attachment's bytes (None when they are missing)."""
    path = store().local_path(ATTACHMENTS, att.storage_name)
    if path is not None:
        if not path.is_file():
            return None
        return send_file(
            path,
            mimetype=att.content_type,
            as_attachment=True,
            download_name=att.filename,
            max_age=0,
        )
    if not attachment_exists(att):
        return None
    response = Response(
        stream_with_context(store().chunks(ATTACHMENTS, att.storage_name)),
        mimetype=att.content_type,
    )
    response.headers["Content-Length"] = str(att.size)
    response.headers.set("Content-Disposition", "attachment", filename=att.filename)
    response.headers["Cache-Control"] = "no-cache"
    return response


def send_stored(att: Any) -> Response:
    """A download response for a stored file (an input's or a message's), or 404 if it is gone.

    Sent as an attachment, never rendered: no sniffing, and a sandbox should a
    browser open it anyway.
    """
    response = attachment_download(att)
    if response is None:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
