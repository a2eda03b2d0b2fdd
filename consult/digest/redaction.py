"""Identifiers left in free text, redacted for files that leave the EU institutions."""

from __future__ import annotations

from collections.abc import Iterable

from consult.identifiers import known_identifiers, redact


class ExternalText:
    """Redacts emails, phones, URLs, people and registered names in external texts."""

    def __init__(self, known: Iterable[str] | None = None) -> None:
        names = known_identifiers() if known is None else known
        self._known_lower = sorted({k.strip().lower() for k in names if k and k.strip()})

    def scrub(self, value: str | None) -> str:
        if not value:
            return ""
        # Hand the detector only the known names that occur (a cheap substring test),
        # rather than compiling a pattern for every registered name on every field.
        lowered = value.lower()
        present = [name for name in self._known_lower if name in lowered]
        return redact(value, present)
