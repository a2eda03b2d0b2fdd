"""Locale selection. English first; other languages follow."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError


def select_locale() -> str | None:
    languages = current_app.config.get("LANGUAGES", ["en"])
    if not has_request_context():  # CLI commands (e.g. ``flask digest``) speak the default
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    try:
        user_locale = getattr(current_user, "locale", None) if current_user else None
    except SQLAlchemyError:
        # A streamed download goes on after the request's database session ended:
        # the signed-in user can no longer be read, so fall back to the browser's choice.
        user_locale = None
    if user_locale in languages:
        return user_locale
    return request.accept_languages.best_match(languages) or "en"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext_noop name
    """Mark ``message`` for translation where it is defined, translate it where it is shown.

    For labels kept in module-level tables (statuses, attribution choices) that the
    API also serves as plain strings: ``make messages`` extracts them, and templates
    translate them with ``_(label)``.
    """
    return message
