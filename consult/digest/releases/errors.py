"""The refusal of a release that cannot be published as asked."""

from __future__ import annotations

from consult.errors import DomainError


class ReleaseError(DomainError):
    """A release that cannot be published as asked; the message says why and what to do."""
