"""The base class of every refusal a domain service raises.

A service says no by raising a :class:`DomainError` subclass carrying a
message a person can act on and, for forms, messages per field. Views do not
catch these one by one: each blueprint's error handler rolls the request
back and renders the refusal (see :mod:`consult.actions`).
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(ValueError):
    """A refusal by the rules; ``fields`` maps form fields to their messages."""

    def __init__(self, message: str, fields: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields: dict[str, list[str]] = dict(fields or {})
