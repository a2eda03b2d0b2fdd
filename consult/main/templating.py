"""Helpers every template may use."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from consult.access import may
from consult.auth.roles import ROLE_LABELS, Role
from consult.submissions.states import ATTRIBUTION_LABELS, STATUS_LABELS


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _helpers() -> dict:
        return {
            "may": lambda action: may(current_user, action),
            "get_locale": get_locale,
            "Role": Role,
            "ROLE_LABELS": ROLE_LABELS,
            "STATUS_LABELS": STATUS_LABELS,
            "ATTRIBUTION_LABELS": ATTRIBUTION_LABELS,
        }

    @app.template_filter("dt")
    def _format_datetime(value: datetime | None, with_time: bool = True) -> str:
        if value is None:
            return ""
        return value.strftime("%d %b %Y %H:%M UTC" if with_time else "%d %b %Y")

    @app.template_filter("status_label")
    def _status_label(value: str) -> str:
        return STATUS_LABELS.get(value, value)  # type: ignore[call-overload]
