"""``flask digest``: write an HQ digest to a file, for scheduled jobs and analysts."""

from __future__ import annotations

import sys

import click
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from consult.cli.errors import fail
from consult.digest.services import FORMATS, FilterError, parse_filters, render_digest
from consult.extensions import db
from consult.i18n import current_locale, languages


@click.command("digest")
@click.option("--format", "fmt", required=True, help=f"One of {', '.join(FORMATS)}.")
@click.option("--out", "out", required=True, help="The file to write ('-' for standard output).")
@click.option("--consultation", help="Consultation slug.")
@click.option("--release", help="External: the release's number (default: the latest).")
@click.option("--priority", help="Priority slug (ssr, terrorism, ...).")
@click.option("--country", help="ISO code of a country (TN, UA, ...).")
@click.option("--region", help="Region slug (south, east).")
@click.option("--type", "type_", help="Input type slug (context-analysis, ...).")
@click.option("--theme", help="Theme slug (gender, youth, ...).")
@click.option("--since", help="Forwarded on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Forwarded on or before this date (YYYY-MM-DD).")
@click.option(
    "--audience",
    default="external",
    show_default=True,
    help="external (may leave the EU institutions) or internal (EU staff only).",
)
@click.option(
    "--part",
    default="inputs",
    show_default=True,
    help="For CSV: inputs, or recommendations with their addressees.",
)
@click.option(
    "--lang",
    default=None,
    help="The language of the report's own words: en, fr, ar, ru or uk "
    "(default: the operator's, from LANG, else en).",
)
def digest_command(
    fmt: str, out: str, type_: str | None, part: str, lang: str | None, **options: str | None
) -> None:
    """Write a digest: an external release (projected by priority, region, country) or an
    internal query (every filter). Same filters as the digest page."""
    lang = (lang or current_locale()).strip().lower()
    if lang not in languages():
        fail(
            _(
                "Unknown language %(value)s; valid values: %(valid)s.",
                value=repr(lang),
                valid=", ".join(languages()),
            )
        )
    with force_locale(lang):
        _write_digest(fmt, out, type_, part, options)


def _write_digest(
    fmt: str, out: str, type_: str | None, part: str, options: dict[str, str | None]
) -> None:
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        fail(
            _(
                "Unknown format %(value)s; valid values: %(valid)s.",
                value=repr(fmt),
                valid=", ".join(FORMATS),
            )
        )
    try:
        filters = parse_filters({**options, "type": type_})
        digest_file = render_digest(fmt, filters, None, part=part.strip().lower(), via="cli")
    except FilterError as exc:
        db.session.rollback()
        fail(str(exc))
    db.session.commit()
    if out == "-":
        for chunk in digest_file.chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    else:
        try:
            with open(out, "wb") as handle:
                for chunk in digest_file.chunks:
                    handle.write(chunk)
        except OSError as exc:
            fail(_("Cannot write %(path)s: %(error)s.", path=out, error=exc.strerror or exc))
        click.echo(
            ngettext(
                "Wrote %(num)d input (%(format)s, %(audience)s) to %(path)s.",
                "Wrote %(num)d inputs (%(format)s, %(audience)s) to %(path)s.",
                digest_file.count,
                format=fmt,
                audience=filters.audience,
                path=out,
            )
        )


COMMANDS = [digest_command]
