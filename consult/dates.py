"""Dates and times as people read and type them: their language's pattern, their time zone.

One helper formats every date a page shows (:func:`when_html`, the ``dt``
template filter) and one pair reads and writes the dates people type
(:func:`parse_date`, :func:`input_date`), so the hint, the value shown and the
value accepted always agree.

- Typed dates follow the interface language's short CLDR pattern, made
  numeric with four-digit years (fr 31/01/2026, ru and uk 31.01.2026). English
  follows en_GB (31/01/2026), as EU texts in English do, not the US month-first
  order. ISO 8601 (2026-01-31) is accepted in every language.
- Times are stored in UTC and shown in the reader's time zone
  (:func:`consult.timeutil.zone_name_of`), with the UTC time on hover, or in
  brackets where a deadline matters. The API keeps UTC ISO 8601.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_date_format, get_timezone_location
from flask import g, has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from consult.i18n import current_locale
from consult.timeutil import as_utc, zone_name_of

#: The CLDR locale whose numeric date pattern each interface language types in.
INPUT_PATTERN_LOCALES = {"en": "en_GB"}

#: How dates and times read on pages (the month as a word: never ambiguous).
DATE_PATTERN = "dd MMM y"
TIME_PATTERN = "HH:mm"

_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


class DateInputError(ValueError):
    """A typed date that is not one; the message says how to write it."""


@lru_cache(maxsize=16)
def numeric_pattern(locale: str) -> str:
    """The language's short date pattern with two-digit day and month, four-digit year.

    ``dd/MM/yyyy`` for fr and en, ``dd.MM.yyyy`` for ru and uk, ``dd/MM/yyyy``
    for ar (its right-to-left marks removed: people cannot type them).
    """
    cldr = INPUT_PATTERN_LOCALES.get(locale, locale)
    pattern = get_date_format("short", locale=cldr).pattern.translate(_BIDI_MARKS)
    pattern = re.sub(r"y+", "yyyy", pattern)
    pattern = re.sub(r"M+", "MM", pattern)
    return re.sub(r"d+", "dd", pattern)


def _field_order(pattern: str) -> list[str]:
    return sorted("dMy", key=pattern.index)


def input_date(value: date | None, locale: str | None = None) -> str:
    """``value`` as the current language types it (``31/01/2026``); empty for None."""
    if value is None:
        return ""
    pattern = numeric_pattern(locale or current_locale())
    parts = {"d": f"{value.day:02d}", "M": f"{value.month:02d}", "y": f"{value.year:04d}"}
    text = pattern
    for letter, token in (("y", "yyyy"), ("M", "MM"), ("d", "dd")):
        text = text.replace(token, parts[letter])
    return text


def date_format_label(locale: str | None = None) -> str:
    """The pattern as a person reads it (``DD/MM/YYYY``, ``ДД.ММ.ГГГГ``), in their language."""
    pattern = numeric_pattern(locale or current_locale())
    # The letters people write for day, month and year differ by language.
    return pattern.replace("yyyy", _("YYYY")).replace("MM", _("MM")).replace("dd", _("DD"))


def date_hint(locale: str | None = None) -> str:
    """The hint under a date field: the format, an example, and that ISO works too."""
    locale = locale or current_locale()
    return _(
        "Write the date as %(format)s, for example %(example)s (2026-01-31 works too).",
        format=date_format_label(locale),
        example=input_date(date(2026, 1, 31), locale),
    )


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and other decimal digits as 0-9, so any keyboard's digits are read."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def parse_date(raw: str, locale: str | None = None) -> date:
    """A typed date in the language's pattern or ISO 8601; :class:`DateInputError` if none.

    The message names what was typed and how to write it, so the person can
    correct it where it stands.
    """
    locale = locale or current_locale()
    text = _ascii_digits((raw or "").translate(_BIDI_MARKS).strip())
    try:
        if _ISO_DATE.match(text):
            year, month, day = (int(n) for n in text.split("-"))
            return date(year, month, day)
        numbers = re.findall(r"\d+", text)
        separators = re.sub(r"\d+", "", text).strip()
        if len(numbers) == 3 and separators and set(separators) <= set("/.-, "):
            values = dict(zip(_field_order(numeric_pattern(locale)), numbers, strict=True))
            if len(values["y"]) == 4:
                return date(int(values["y"]), int(values["M"]), int(values["d"]))
    except ValueError:
        raise DateInputError(
            _(
                "%(value)s is not a date in the calendar. Write it as %(format)s, "
                "for example %(example)s.",
                value=raw.strip(),
                format=date_format_label(locale),
                example=input_date(date(2026, 1, 31), locale),
            )
        ) from None
    raise DateInputError(
        _(
            "%(value)s is not a date we can read. Write it as %(format)s, for example %(example)s.",
            value=raw.strip(),
            format=date_format_label(locale),
            example=input_date(date(2026, 1, 31), locale),
        )
    )


def reader_zone() -> str:
    """The IANA zone the signed-in reader sees times in (UTC outside a request)."""
    if not has_request_context():
        return "UTC"
    if "reader_zone" not in g:
        try:
            g.reader_zone = zone_name_of(current_user)
        except SQLAlchemyError:
            # A streamed download outlives its database session: fall back to UTC.
            g.reader_zone = "UTC"
    return g.reader_zone


def zone_city(zone: str, locale: str | None = None) -> str:
    """A zone's city in the reader's language (``Tunis``, ``Туніс``); ``UTC`` for UTC."""
    if zone == "UTC":
        return "UTC"
    return get_timezone_location(
        ZoneInfo(zone), locale=locale or current_locale(), return_city=True
    )


def _local(value: datetime, zone: str) -> datetime:
    return as_utc(value).astimezone(ZoneInfo(zone))


def utc_text(value: datetime, locale: str | None = None) -> str:
    """``01 Mar 2026 10:00 UTC``: the stored instant, as on hover."""
    pattern = f"{DATE_PATTERN} {TIME_PATTERN}"
    return (
        format_datetime(as_utc(value), pattern, tzinfo=UTC, locale=locale or current_locale())
        + " UTC"
    )


def plain_when(
    value: datetime | date | None, with_time: bool = True, zone: str | None = None
) -> str:
    """A date (and time) in the reader's zone and language, as plain text.

    With a time, the zone is named (``01 Mar 2026 11:00 Tunis``) so a text read
    away from its page (a message, a JSON answer) stays true.
    """
    if value is None:
        return ""
    locale = current_locale()
    if not isinstance(value, datetime):
        return format_date(value, DATE_PATTERN, locale=locale)
    zone = zone or reader_zone()
    local = _local(value, zone)
    if not with_time:
        return format_date(local.date(), DATE_PATTERN, locale=locale)
    text = format_datetime(
        local, f"{DATE_PATTERN} {TIME_PATTERN}", tzinfo=local.tzinfo, locale=locale
    )
    return f"{text} {zone_city(zone, locale)}"


def when_html(value: datetime | date | None, with_time: bool = True, utc: bool = False) -> Markup:
    """A ``<time>`` element: the reader's local date (and time), UTC on hover.

    ``utc=True`` also writes the UTC time in brackets, for deadlines (a closing
    date) where the hover, unseen on a phone, is not enough.
    """
    if value is None:
        return Markup("")
    if not isinstance(value, datetime):
        return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), plain_when(value))
    zone = reader_zone()
    instant = as_utc(value)
    stamp = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = plain_when(value, with_time, zone)
    if zone != "UTC" and utc:
        local = _local(value, zone)
        same_day = local.date() == instant.date()
        in_utc = (
            format_datetime(instant, TIME_PATTERN, tzinfo=UTC, locale=current_locale()) + " UTC"
            if same_day and with_time
            else utc_text(value)
        )
        shown = f"{shown} ({in_utc})"
    elif zone == "UTC" and with_time:
        shown = utc_text(value)
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        stamp, utc_text(value), escape(shown)
    )


_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


def input_datetime(value: datetime | None, locale: str | None = None) -> str:
    """A (naive UTC) datetime as the language types it: ``31/01/2026 17:00``."""
    if value is None:
        return ""
    return f"{input_date(value.date(), locale)} {value:%H:%M}"


def datetime_hint(locale: str | None = None) -> str:
    """The hint under a date-and-time field (UTC)."""
    locale = locale or current_locale()
    return _(
        "In UTC, written %(format)s HH:MM, for example %(example)s (2026-01-31T17:00 works too).",
        format=date_format_label(locale),
        example=input_datetime(datetime(2026, 1, 31, 17, 0), locale),
    )


def parse_datetime(raw: str, locale: str | None = None) -> datetime:
    """A typed date and time (``31/01/2026 17:00`` or ISO ``2026-01-31T17:00``), naive.

    :class:`DateInputError` names what was typed and how to write it.
    """
    locale = locale or current_locale()
    text = _ascii_digits((raw or "").translate(_BIDI_MARKS).strip()).replace("T", " ")
    day, _sep, clock = text.rpartition(" ")
    matched = _TIME.match(clock)
    if day and matched:
        hour, minute = int(matched.group(1)), int(matched.group(2))
        when = parse_date(day, locale)
        if hour < 24 and minute < 60:
            return datetime(when.year, when.month, when.day, hour, minute)
    raise DateInputError(
        _(
            "%(value)s is not a date and time we can read. Write it as %(format)s HH:MM, "
            "for example %(example)s.",
            value=raw.strip(),
            format=date_format_label(locale),
            example=input_datetime(datetime(2026, 1, 31, 17, 0), locale),
        )
    )


def month_text(value: str | None) -> str:
    """A stored month (``2026-03``) as the language names it (``March 2026``, ``mars 2026``)."""
    if not value:
        return ""
    try:
        year, month = (int(part) for part in value.split("-"))
        return format_date(date(year, month, 1), "LLLL y", locale=current_locale())
    except ValueError:
        return value
