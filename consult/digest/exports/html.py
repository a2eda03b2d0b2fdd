"""The narrative report as a printable HTML page (charts as inline SVG)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, has_request_context, render_template
from flask_babel import gettext as _

from consult.digest import charts
from consult.digest.exports.report import build_report

if TYPE_CHECKING:
    from consult.digest.contents import Digest


def stylesheet_text() -> str:
    """The site's stylesheet, embedded in a report saved as a file (no server to fetch it)."""
    return (Path(current_app.static_folder or "static") / "consult.css").read_text("utf-8")


def render(digest: Digest, *, standalone: bool = False) -> str:
    figures = charts.digest_charts(digest)
    return render_template(
        "digest/report.html",
        digest=digest,
        report=build_report(digest),
        matrix=digest.matrix(),
        heatmap_svg=charts.svg_markup(figures["heatmap"], _("Inputs by priority and country")),
        types_svg=charts.svg_markup(figures["types"], _("Inputs by type")),
        standalone=standalone,
        stylesheet=stylesheet_text() if standalone else None,
    )


def report(digest: Digest) -> Iterator[bytes]:
    standalone = digest.standalone or not has_request_context()
    yield render(digest, standalone=standalone).encode("utf-8")
