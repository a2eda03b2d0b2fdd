"""The kinds of job: what each runs, which permission sees it, what its page says.

A domain registers its kinds with :func:`job_kind`; :func:`load_kinds`
imports every module that does. Another domain adds a kind the same way
(as mail sending does: ``mail.send`` in :mod:`consult.notifications.mail_rounds`)
and starts it with :func:`consult.jobs.queue.start_job`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from consult.jobs.models import Job

#: Modules that register kinds; imported once, by :func:`load_kinds`.
KIND_MODULES = (
    "consult.digest.jobs",
    "consult.maintenance.jobs",
    "consult.notifications.mail_rounds",
)


@dataclass
class Outcome:
    """What a handler returns: words for the page, and perhaps a file to keep."""

    result: dict[str, Any] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    file_name: str | None = None
    file_type: str | None = None


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable[[Job], Outcome]
    #: The permission (consult.auth.roles.PERMISSIONS) that lets others of the
    #: owner's role see the job; None: only its owner.
    permission: str | None
    #: The job's title on its page (``params`` -> words, in the viewer's language).
    title: Callable[[Job], str]
    #: The sentence the page shows once the job is done.
    summary: Callable[[Job], str]
    #: Where to go next (a URL), once done; None: nowhere in particular.
    link: Callable[[Job], str | None] = lambda job: None


KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    permission: str | None,
    title: Callable[[Job], str],
    summary: Callable[[Job], str],
    link: Callable[[Job], str | None] = lambda job: None,
) -> Callable[[Callable[[Job], Outcome]], Callable[[Job], Outcome]]:
    """Register ``handler`` as the work of jobs of kind ``name``."""

    def register(handler: Callable[[Job], Outcome]) -> Callable[[Job], Outcome]:
        KINDS[name] = JobKind(name, handler, permission, title, summary, link)
        return handler

    return register


def load_kinds() -> dict[str, JobKind]:
    for module in KIND_MODULES:
        importlib.import_module(module)
    return KINDS


def kind_of(job: Job) -> JobKind:
    return load_kinds()[job.kind]
