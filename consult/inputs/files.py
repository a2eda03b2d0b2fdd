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
