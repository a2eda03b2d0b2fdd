"""Files that follow the database transaction: a row and its file, both or neither.

A new attachment file is written (and fsynced) before its row is committed;
if the transaction then rolls back or the session closes without
committing, the file is removed. A file whose row is being deleted is
removed only once the deletion is committed. What a crash can still leave
behind is a file without a row (killed between the write and the commit),
never a row without its file; ``flask --app consult check-storage --fix``
removes such files.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("consult.storage")

_NEW = "consult_new_files"
_DOOMED = "consult_files_to_unlink"


def write_durably(path: Path, data: bytes) -> None:
    """Write a new file (mode 0600) and make sure its bytes are on disk before a row
    points at it."""
    from consult.maintenance.modes import open_private

    with open_private(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a new directory entry durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_on_rollback(session: Any, path: Path) -> None:
    """``path`` was written for rows in this transaction: remove it unless they commit."""
    _session(session).info.setdefault(_NEW, []).append(Path(path))


def unlink_after_commit(session: Any, path: Path) -> None:
    """Remove ``path`` once the transaction deleting its row has committed."""
    _session(session).info.setdefault(_DOOMED, []).append(Path(path))


def _session(session: Any) -> Session:
    # Flask-SQLAlchemy's db.session is a scoped_session; the info lives on the real one.
    return session() if callable(session) and not isinstance(session, Session) else session


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s (%s); check-storage --fix will", path.name, exc)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_NEW, None)
    _unlink_all(session.info.pop(_DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return
    # Still here: the outermost transaction ended without committing.
    _unlink_all(session.info.pop(_NEW, []))
    session.info.pop(_DOOMED, None)
