"""What every storage backend offers (see :mod:`consult.filestore`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

ATTACHMENTS = "attachments"
JOBS = "jobs"
NAMESPACES = (ATTACHMENTS, JOBS)
CHUNK = 256 * 1024


class Store(Protocol):
    #: Whether every app server sees the same files (several servers need it).
    shared: bool

    def put(self, namespace: str, key: str, data: bytes | Iterable[bytes]) -> int:
        """Store a new file (removed again if the transaction rolls back); its size."""
        ...

    def chunks(self, namespace: str, key: str) -> Iterator[bytes]:
        """The bytes of a stored file, in pieces (``FileNotFoundError`` if there is none)."""
        ...

    def exists(self, namespace: str, key: str) -> bool: ...

    def delete(self, namespace: str, key: str) -> None:
        """Delete the file once the current transaction commits (now for a local file
        outside any transaction's care is fine too: callers commit right after)."""
        ...

    def keys(self, namespace: str) -> list[str]: ...

    def local_path(self, namespace: str, key: str) -> Path | None:
        """The file on this machine, when the backend keeps one (``local``)."""
        ...


def read_all(store: Store, namespace: str, key: str) -> bytes:
    return b"".join(store.chunks(namespace, key))
