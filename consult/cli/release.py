"""``flask release``: publish and list the external releases of a consultation."""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.cli.errors import fail
from consult.digest.releases.models import Release
from consult.digest.releases.publishing import ReleaseError, create_release, releases_of
from consult.extensions import db


def audit_lines(release: Release) -> list[str]:
    """The stored audit as text: one line per small cell, then the verdict."""
    audit = release.audit
    lines = [
        f"Audit (k={audit['k']}, linear programming over the published tables"
        + (
            f", together with releases {', '.join(audit['audited_with'])}"
            if audit["audited_with"]
            else ""
        )
        + f"; {audit['rounds']} round{'s' if audit['rounds'] != 1 else ''}):",
        f"  {'release':8} {'priority':18} {'country':8} {'interval':>14}  passes",
    ]
    for cell in audit["intervals"]:
        high = "inf" if cell["high"] is None else f"{cell['high']:g}"
        interval = f"[{cell['low']:g}, {high}]"
        lines.append(
            f"  {cell['release']:8} {cell['priority']:18} {cell['country']:8} {interval:>14}  "
            f"{'yes' if cell['passes'] else 'NO'}"
        )
    if not audit["intervals"]:
        lines.append("  (no small cell: nothing to protect)")
    lines.append(
        f"Suppression: {len(audit['primary'])} small, {audit['secondary']} hidden to protect them"
        + (
            f"; placed in the whole Neighbourhood: {', '.join(audit['wide'])}"
            if audit["wide"]
            else ""
        )
        + (
            f"; region-level inputs withheld: {', '.join(audit['withheld'])}"
            if audit["withheld"]
            else ""
        )
        + "."
    )
    lines.append(
        "Every interval contains 0 and reaches k: passes."
        if audit["passes"]
        else "Some interval fails: NOT published."
    )
    return lines


@click.group("release")
def release_group() -> None:
    """External releases: published once, every external file projects one."""


@release_group.command("create")
@click.argument("consultation")
@click.option(
    "--period",
    help="Months covered, YYYY-MM..YYYY-MM or YYYY-MM (default: the consultation's first "
    "month to the last month that is over).",
)
def create_command(consultation: str, period: str | None) -> None:
    """Publish the next release of CONSULTATION (its slug)."""
    try:
        release = create_release(consultation, None, period)
    except ReleaseError as exc:
        db.session.rollback()
        fail(str(exc))
    for line in audit_lines(release):
        click.echo(line)
    click.echo(
        ngettext(
            "Published release %(number)d of %(slug)s (%(start)s..%(end)s): %(num)d input.",
            "Published release %(number)d of %(slug)s (%(start)s..%(end)s): %(num)d inputs.",
            release.input_count,
            number=release.number,
            slug=consultation,
            start=release.period_start,
            end=release.period_end,
        )
    )
    db.session.commit()


@release_group.command("list")
@click.option("--consultation", help="Only this consultation (its slug).")
def list_command(consultation: str | None) -> None:
    """The published releases, newest first."""
    releases = releases_of(consultation)
    if not releases:
        click.echo(_("No release has been published yet."))
    for release in releases:
        who = release.published_by.email if release.published_by else _("command line")
        published = _(
            "published %(when)s UTC by %(who)s",
            when=f"{release.published_at:%Y-%m-%d %H:%M}",
            who=who,
        )
        counted = ngettext("%(num)d input", "%(num)d inputs", release.input_count)
        click.echo(
            f"{release.consultation.slug} #{release.number}  "
            f"{release.period_start}..{release.period_end}  "
            f"{published}  k={release.k}  {counted}"
        )


COMMANDS = [release_group]
