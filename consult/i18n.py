"""Locale selection, the interface languages, and locale-aware formatting.

Which language a page speaks, first match wins:

1. an API call's ``Accept-Language`` (a script asks for what it needs);
2. the signed-in account's choice (``users.locale``, set by the switcher);
3. the ``lang`` cookie the switcher sets before sign-in;
4. the browser's ``Accept-Language``;
5. English.

A ``flask`` command speaks the operator's language, from the environment as
gettext reads it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
English. Everything else outside a request (tests, jobs) speaks English.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime

import click
from babel.dates import format_date, format_datetime
from flask import current_app, has_request_context, request
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

#: The cookie that carries the switcher's choice before sign-in (and after sign-out).
LOCALE_COOKIE = "lang"

#: Each interface language by its own name, as the switcher shows it.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "ru": "Русский",
    "uk": "Українська",
}

#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur"})


def languages() -> list[str]:
    return list(current_app.config.get("LANGUAGES", ["en"]))


def default_locale() -> str:
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")


def _account_locale() -> str | None:
    try:
        if current_user and current_user.is_authenticated:
            return getattr(current_user, "locale", None)
    except SQLAlchemyError:
        # A streamed download goes on after the request's database session ended:
        # the signed-in user can no longer be read, so fall back to the browser's choice.
        return None
    return None


def operator_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The interface language the environment asks for, as gettext reads it; None if none.

    ``LANGUAGE`` may list several (``fr:en``); then the first of ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` that is set (``fr_FR.UTF-8``).
    """
    environ = os.environ if environ is None else environ
    offered = languages()
    main = next((environ[n] for n in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(n)), "")
    for value in [*(environ.get("LANGUAGE") or "").split(":"), main]:
        code = value.split(".")[0].split("@")[0].split("_")[0].lower()
        if code in offered:
            return code
    return None


def select_locale() -> str | None:
    if not has_request_context():
        if click.get_current_context(silent=True) is not None:  # a ``flask`` command
            return operator_locale() or default_locale()
        return default_locale()
    offered = languages()
    if request.blueprint == "api" and request.accept_languages:
        asked = request.accept_languages.best_match(offered)
        if asked:
            return asked
    for choice in (_account_locale(), request.cookies.get(LOCALE_COOKIE)):
        if choice in offered:
            return choice
    return request.accept_languages.best_match(offered) or default_locale()


def current_locale() -> str:
    return str(get_locale() or "en")


def text_direction(locale: str | None = None) -> str:
    """``rtl`` for Arabic and other right-to-left languages, else ``ltr``."""
    code = (locale or current_locale()).split("_")[0]
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def is_rtl_text(text: str | None) -> bool:
    """Whether ``text`` reads right to left, decided as ``dir="auto"`` decides.

    The first character with a strong direction wins: Arabic or Hebrew letters
    make it right to left, Latin or Cyrillic letters left to right.
    """
    for char in text or "":
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext_noop name
    """Mark ``message`` for translation where it is defined, translate it where it is shown.

    For labels kept in module-level tables (statuses, attribution choices, the
    reference data) that are stored or served as plain strings: ``make messages``
    extracts them, and :func:`label` (or ``_(label)`` in templates) translates them.
    """
    return message


def label(text: str | None) -> str:
    """The current locale's label for a stored English name, if the catalogue has one.

    Reference data is stored in English and keyed by slug; a name the catalogues
    know (every seeded one) reads in the interface language, a name an admin
    typed later stays as typed.
    """
    if not text:
        return text or ""
    return gettext(text)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def format_when(value: datetime | None, with_time: bool = True) -> str:
    """A date (and time, in the reader's zone, named) as plain text: see :mod:`consult.dates`."""
    from consult.dates import plain_when  # consult.dates builds on this module

    return plain_when(value, with_time)


def format_long_date(value: datetime, with_time: bool = False) -> str:
    """A date with the month written out (``05 March 2026``), for reports."""
    locale = current_locale()
    if with_time:
        return format_datetime(_utc(value), "dd MMMM y, HH:mm", tzinfo=UTC, locale=locale)
    return format_date(value, "dd MMMM y", locale=locale)


def adopt_cookie_choice(user: object) -> None:
    """At sign-in, an account without a language keeps the one chosen before signing in."""
    choice = request.cookies.get(LOCALE_COOKIE)
    if not getattr(user, "locale", None) and choice in languages():
        user.locale = choice  # type: ignore[attr-defined]
