"""Identifiers left in free text, redacted for files that leave the EU institutions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from consult.identifiers import known_identifiers, redact


class ExternalText:
    """Redacts emails, phones, URLs, people and registered names in external texts.

    The registered names are handed over whole: ``known_identifiers()`` carries
    one compiled automaton that matches them after folding case, diacritics,
    whitespace, hyphens and scripts, so no per-name pre-filter is needed (an
    exact substring test would drop a name broken across a line).
    """

    def __init__(self, known: Iterable[str] | None = None) -> None:
        self._known = known_identifiers() if known is None else known

    def scrub(self, value: str | None, regions: Sequence[str] = ()) -> str:
        """``value`` redacted; ``regions`` (country codes) help read local phone numbers."""
        if not value:
            return ""
        return redact(value, self._known, regions=regions)
