"""Where stored files live: a folder on this machine, or PostgreSQL large objects.

Two kinds of file are stored, each in its own namespace: attachments
(``attachments``, named by ``Attachment.storage_name``) and the files jobs
make (``jobs``, named by the job's id). Every reader and writer goes through
:func:`store`, so the backend is one setting, ``CONSULT_STORAGE``:

- ``local`` (default, ``make run``): files under ``UPLOAD_DIR`` and
  ``JOB_FILES_DIR`` on this machine. Fine for one app server.
- ``postgresql``: PostgreSQL large objects in the application's database,
  which every app server and the job worker already share
  (docs/scale.md, "Several app servers").

Writes and deletions follow the database transaction with either backend:
a file written for rows that roll back is removed, and a deleted file goes
only once the deletion commits.
"""

from __future__ import annotations

from flask import current_app

from consult.filestore.base import ATTACHMENTS, JOBS, Store

BACKENDS = ("local", "postgresql")


def store() -> Store:
    """The configured backend (one per app, made on first use)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get("consult_filestore")
    if cached is None:
        backend = app.config.get("STORAGE_BACKEND") or "local"
        if backend == "postgresql":
            from consult.filestore.largeobjects import LargeObjectStore

            cached = LargeObjectStore()
        else:
            from consult.filestore.local import LocalStore

            cached = LocalStore()
        app.extensions["consult_filestore"] = cached
    return cached


__all__ = ["ATTACHMENTS", "BACKENDS", "JOBS", "Store", "store"]
