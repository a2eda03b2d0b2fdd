"""Helpers every template may use."""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from functools import lru_cache

from flask import Flask, current_app, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import Markup

from consult.access import may
from consult.auth.roles import ROLE_LABELS, Role
from consult.dates import month_text, reader_zone, when_html
from consult.i18n import (
    LANGUAGE_NAMES,
    current_locale,
    label,
    languages,
    text_direction,
)
from consult.inputs.consultation_texts import LocalText, local_text
from consult.inputs.models import Consultation
from consult.inputs.states import ATTRIBUTION_LABELS, STATUS_LABELS
from consult.timeutil import utcnow


@lru_cache(maxsize=32)
def _asset_version(path: str, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The URL of a static file with a content version, so browsers may cache it for long.

    A changed file gets a new ``v``; on a weak connection every page then loads
    without asking the server about the stylesheet again.
    """
    folder = current_app.static_folder or ""
    path = os.path.join(folder, filename)
    try:
        version = _asset_version(path, os.path.getmtime(path))
    except OSError:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def register_template_helpers(app: Flask) -> None:
    app.add_template_global(asset_url)

    @app.context_processor
    def _helpers() -> dict:
        return {
            "may": lambda action: may(current_user, action),
            "get_locale": get_locale,
            "Role": Role,
            "ROLE_LABELS": ROLE_LABELS,
            "STATUS_LABELS": STATUS_LABELS,
            "ATTRIBUTION_LABELS": ATTRIBUTION_LABELS,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "interface_languages": languages,
            "text_direction": text_direction,
            "reader_zone": reader_zone,
            "now": utcnow,
        }

    @app.template_filter("dt")
    def _format_datetime(
        value: datetime | date | None, with_time: bool = True, utc: bool = False
    ) -> Markup:
        """Every date and time a page shows: the reader's zone and language, UTC on hover."""
        return when_html(value, with_time, utc)

    app.add_template_filter(label, "label")
    app.add_template_filter(month_text, "month")

    @app.template_filter("local")
    def _local_text(consultation: Consultation) -> LocalText:
        """A consultation's title, description and questions in the reader's language."""
        return local_text(consultation, current_locale())

    @app.template_filter("status_label")
    def _status_label(value: str) -> str:
        return gettext(STATUS_LABELS.get(value, value))  # type: ignore[call-overload]
