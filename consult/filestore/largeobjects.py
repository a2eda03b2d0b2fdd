"""Files as PostgreSQL large objects, in the database every app server shares.

Why large objects rather than a bytea column: they are read and written in
pieces (``lo_get``/``lo_put`` with an offset), so a 100 MB digest never sits
whole in memory, and they take part in the transaction like any row: a file
written for rows that roll back is gone with them, a deleted one goes when
the deletion commits. ``pg_dump`` (``flask backup``) includes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import delete, select, text

from consult.extensions import db
from consult.filestore.base import CHUNK
from consult.filestore.models import StoredFile


class LargeObjectStore:
    shared = True

    def put(self, namespace: str, key: str, data: bytes | Iterable[bytes]) -> int:
        self._drop(namespace, key)
        oid = db.session.execute(text("SELECT lo_create(0)")).scalar_one()
        size = 0
        for chunk in [data] if isinstance(data, bytes) else data:
            if chunk:
                db.session.execute(
                    text("SELECT lo_put(CAST(:oid AS oid), :offset, :data)"),
                    {"oid": oid, "offset": size, "data": chunk},
                )
                size += len(chunk)
        db.session.add(StoredFile(namespace=namespace, key=key, oid=oid, size=size))
        db.session.flush()
        return size

    def _oid(self, namespace: str, key: str) -> int | None:
        return db.session.scalar(
            select(StoredFile.oid).where(StoredFile.namespace == namespace, StoredFile.key == key)
        )

    def chunks(self, namespace: str, key: str) -> Iterator[bytes]:
        oid = self._oid(namespace, key)
        if oid is None:
            raise FileNotFoundError(f"{namespace}/{key}")
        offset = 0
        while True:
            piece = db.session.execute(
                text("SELECT lo_get(CAST(:oid AS oid), :offset, :length)"),
                {"oid": oid, "offset": offset, "length": CHUNK},
            ).scalar_one()
            if not piece:
                return
            yield bytes(piece)
            offset += len(piece)
            if len(piece) < CHUNK:
                return

    def exists(self, namespace: str, key: str) -> bool:
        return self._oid(namespace, key) is not None

    def _drop(self, namespace: str, key: str) -> None:
        oid = self._oid(namespace, key)
        if oid is not None:
            db.session.execute(text("SELECT lo_unlink(CAST(:oid AS oid))"), {"oid": oid})
            db.session.execute(
                delete(StoredFile).where(StoredFile.namespace == namespace, StoredFile.key == key)
            )

    def delete(self, namespace: str, key: str) -> None:
        self._drop(namespace, key)

    def keys(self, namespace: str) -> list[str]:
        return list(
            db.session.scalars(
                select(StoredFile.key)
                .where(StoredFile.namespace == namespace)
                .order_by(StoredFile.key)
            )
        )

    def local_path(self, namespace: str, key: str) -> Path | None:
        return None
