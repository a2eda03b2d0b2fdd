"""Refuse text holding NUL characters before any view reads it.

PostgreSQL cannot store or even compare a NUL character in text (it raises
"A string literal cannot contain NUL"), while SQLite takes it silently. No one
types one; it comes from a broken client or a probe. Refusing it once, here,
gives the same clear 400 on both databases instead of a 500 on one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _


def holds_nul(value: Any) -> bool:
    """Whether a string, or any string inside lists and mappings, holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


def refuse_nul_characters() -> None:
    """Abort with 400 when a query value, form field or JSON string holds a NUL character."""
    sources: list[Any] = [list(request.args.lists()), list((request.view_args or {}).values())]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sources.append(list(request.form.lists()))
    elif request.is_json:
        sources.append(request.get_json(silent=True))
    if any(holds_nul(source) for source in sources):
        abort(
            400, description=_("Text may not contain NUL characters. Remove them and send again.")
        )


def register_text_guard(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
