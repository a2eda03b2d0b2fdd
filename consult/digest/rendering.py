"""Rendering a digest for download: the formats, their writers, and the audit record.

``render_digest(fmt, filters, actor)`` is the one entry point of the views,
the CLI and the API: it counts in SQL, records the download in the audit
log and returns a :class:`DigestFile` whose ``chunks`` stream the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from consult.audit.services import record
from consult.digest.contents import Digest
from consult.digest.filters import DigestFilters, FilterError
from consult.digest.internal import build_internal
from consult.extensions import db

FORMATS = ("csv", "xlsx", "json", "docx", "html")
PARTS = ("inputs", "recommendations")


@dataclass
class DigestFile:
    """A generated digest: ``chunks`` yields the bytes (read it once)."""

    chunks: Iterable[bytes]
    mimetype: str
    filename: str
    count: int


def _exporter(fmt: str, part: str) -> tuple[Callable[[Digest], Iterable[bytes]], str, str]:
    """The writer, the media type and the file name's ending of a format."""
    if fmt == "csv":
        from consult.digest.exports import csv as csv_export

        if part == "recommendations":
            return csv_export.recommendations_csv, "text/csv; charset=utf-8", "-recommendations.csv"
        return csv_export.inputs_csv, "text/csv; charset=utf-8", "-inputs.csv"
    if fmt == "xlsx":
        from consult.digest.exports import xlsx

        return (
            xlsx.workbook,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        )
    if fmt == "json":
        from consult.digest.exports import json as json_export

        return json_export.document, "application/json", ".json"
    if fmt == "docx":
        from consult.digest.exports import docx

        return (
            docx.report,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "-report.docx",
        )
    from consult.digest.exports import html

    return html.report, "text/html; charset=utf-8", "-report.html"


def check_format(fmt: str, part: str) -> None:
    """Refuse an unknown format or part (:class:`FilterError` naming the valid ones)."""
    if fmt not in FORMATS:
        raise FilterError(
            _(
                "Unknown format %(value)s; valid values: %(valid)s.",
                value=repr(fmt),
                valid=", ".join(FORMATS),
            ),
            "format",
        )
    if part not in PARTS:
        raise FilterError(
            _(
                "Unknown part %(value)s; valid values: %(valid)s.",
                value=repr(part),
                valid=", ".join(PARTS),
            ),
            "part",
        )
    if part != "inputs" and fmt != "csv":
        raise FilterError(_("Only the CSV format has a separate recommendations part."), "part")


def needs_job(filters: DigestFilters) -> bool:
    """Whether a download of this digest is too big to make inside a request.

    Above ``JOB_THRESHOLD_INPUTS`` inputs the file is made by a job (see
    :mod:`consult.digest.jobs`) and offered on the job's page.
    """
    return build_digest(filters).count > current_app.config["JOB_THRESHOLD_INPUTS"]


def build_digest(filters: DigestFilters) -> Digest:
    """The shaped digest: a free internal query, or the projection of a published release."""
    if filters.external:
        from consult.digest.releases.projection import build_release_digest

        return build_release_digest(filters)
    return build_internal(filters)


def render_digest(
    fmt: str, filters: DigestFilters, actor: Any, *, part: str = "inputs", via: str = "web"
) -> DigestFile:
    """Generate a digest in ``fmt`` and record the download in the audit log.

    The caller commits (the audit row) before streaming ``chunks``.
    """
    check_format(fmt, part)
    digest = build_digest(filters)
    # A file saved or handed to a participant stands alone: styles inlined, no HQ navigation.
    digest.standalone = via in ("cli", "participant")
    release = digest.release
    count = digest.count
    write, mimetype, suffix = _exporter(fmt, part)
    stamp = digest.generated_at.strftime("%Y%m%d-%H%M")
    filename = f"consult-digest-{filters.audience}-{stamp}{suffix}"
    record(
        "digest.downloaded",
        actor,
        object_type="digest",
        format=fmt,
        part=part,
        audience=filters.audience,
        filters=filters.as_dict(),
        release=f"{release.consultation}#{release.number}" if release else None,
        count=count,
        via=via,
    )
    db.session.flush()
    return DigestFile(chunks=write(digest), mimetype=mimetype, filename=filename, count=count)
