"""The index of files stored as PostgreSQL large objects (``CONSULT_STORAGE=postgresql``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class StoredFile(db.Model):
    """One stored file: its namespace and name, and the large object holding its bytes."""

    __tablename__ = "stored_files"

    namespace: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: The large object's OID (``pg_largeobject_metadata``).
    oid: Mapped[int] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
