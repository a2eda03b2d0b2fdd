"""Retention purges on the job queue (``flask purge --queue``)."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.jobs.kinds import Outcome, job_kind
from consult.jobs.models import Job
from consult.maintenance.retention import erase_requested, purge_expired


def _title(job: Job) -> str:
    return _("Retention purge")


def _summary(job: Job) -> str:
    return "; ".join(job.result.get("lines", []))


@job_kind("retention.purge", permission="administer", title=_title, summary=_summary)
def purge(job: Job) -> Outcome:
    """Delete inputs past retention (and, if asked, organisations awaiting erasure)."""
    report = purge_expired()
    if job.params.get("erase_requested"):
        erase_requested(report)
    return Outcome(result={"lines": report.lines()})
