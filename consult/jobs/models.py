"""The ``jobs`` table: one row per piece of long work, its state and its result."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import utcnow


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    #: Done, but its file was deleted after ``JOB_FILE_HOURS``.
    EXPIRED = "expired"


#: States after which nothing changes any more.
FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.EXPIRED})


class Job(db.Model):
    """Long work asked for by a user (or a command: no owner).

    ``params`` is what the kind's handler needs (JSON); ``result`` what it
    returned for the status page (counts, a release number). A job that made
    a file names it in ``file_name``; the bytes live in the job files folder
    under the job's id until ``expires_at``.
    """

    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=True
    )
    #: The role of the owner when it was started: who else may see the job.
    owner_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: The interface language of the owner: the words of the result.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED, index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: What went wrong, in words a person can act on (never a traceback).
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    file_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    file_type: Mapped[str | None] = mapped_column(String(120), nullable=True)
    file_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)

    owner = relationship("User", foreign_keys=[owner_id])

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def has_file(self) -> bool:
        return self.state == JobState.DONE and self.file_name is not None
