"""Locale selection. English first; other languages follow."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user


def select_locale() -> str | None:
    languages = current_app.config.get("LANGUAGES", ["en"])
    if not has_request_context():  # CLI commands (e.g. ``flask digest``) speak the default
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    return request.accept_languages.best_match(languages) or "en"
