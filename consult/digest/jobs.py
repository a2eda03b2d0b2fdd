"""Digest work on the job queue: big digest files and publishing a release.

A download of more than ``JOB_THRESHOLD_INPUTS`` inputs becomes a
``digest.file`` job; every publication is a ``release.publish`` job (at
10,000 inputs it takes tens of seconds, mostly redacting identifiers).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from consult.digest.filters import FilterError, parse_filters
from consult.digest.releases.publishing import ReleaseError, create_release
from consult.digest.rendering import render_digest
from consult.extensions import db
from consult.jobs import progress
from consult.jobs.kinds import Outcome, job_kind
from consult.jobs.models import Job
from consult.jobs.queue import JobRefused

#: The names of the downloads, as the digest page lists them.
FILE_LABELS = {
    ("csv", "inputs"): _l("Inputs (CSV)"),
    ("csv", "recommendations"): _l("Recommendations (CSV)"),
    ("xlsx", "inputs"): _l("Workbook (XLSX)"),
    ("json", "inputs"): _l("Data (JSON)"),
    ("docx", "inputs"): _l("Report (DOCX)"),
    ("html", "inputs"): _l("Report (printable page)"),
}


def digest_job_params(fmt: str, part: str, filters: dict[str, str]) -> dict:
    return {"fmt": fmt, "part": part, "filters": filters}


def _file_title(job: Job) -> str:
    label = FILE_LABELS.get((job.params["fmt"], job.params["part"]), job.params["fmt"])
    filters = job.params["filters"]
    scope = ", ".join(f"{key}={value}" for key, value in filters.items() if key != "audience")
    if filters.get("audience") == "internal":
        title = _("%(file)s, internal digest (EU staff only)", file=label)
    else:
        title = _("%(file)s, external digest", file=label)
    return f"{title} ({scope})" if scope else title


def _file_summary(job: Job) -> str:
    count = job.result.get("count", 0)
    return ngettext("The file holds %(num)d input.", "The file holds %(num)d inputs.", count)


@job_kind("digest.file", permission="download_digest", title=_file_title, summary=_file_summary)
def make_digest_file(job: Job) -> Outcome:
    """Render the digest as its owner asked; the audit row says it was made by a job."""
    params = job.params
    try:
        filters = parse_filters(params["filters"])
        digest_file = render_digest(
            params["fmt"], filters, job.owner, part=params["part"], via="job"
        )
    except FilterError as exc:
        raise JobRefused(str(exc)) from exc
    db.session.commit()  # the audit row, before the long write
    progress.set_total(digest_file.count)
    return Outcome(
        result={"count": digest_file.count},
        chunks=digest_file.chunks,
        file_name=digest_file.filename,
        file_type=digest_file.mimetype,
    )


def _release_title(job: Job) -> str:
    return _("Publish the next release of %(slug)s", slug=job.params["consultation"])


def _release_summary(job: Job) -> str:
    return _(
        "Release %(number)d of %(slug)s is published: %(count)d inputs. Every external "
        "file of this consultation now shows it.",
        number=job.result["number"],
        slug=job.result["slug"],
        count=job.result["count"],
    )


def _release_link(job: Job) -> str:
    return url_for(
        "digest.index",
        audience="external",
        consultation=job.result["slug"],
        release=job.result["number"],
    )


@job_kind(
    "release.publish",
    permission="publish_release",
    title=_release_title,
    summary=_release_summary,
    link=_release_link,
)
def publish_release(job: Job) -> Outcome:
    try:
        release = create_release(job.params["consultation"], job.owner, job.params.get("period"))
    except ReleaseError as exc:
        raise JobRefused(str(exc)) from exc
    return Outcome(
        result={
            "number": release.number,
            "slug": release.consultation.slug,
            "count": release.input_count,
        }
    )
