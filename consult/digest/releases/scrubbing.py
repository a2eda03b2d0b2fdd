"""The texts of a release, scrubbed: identifiers redacted, then withheld places replaced.

Scrubbing is most of the time a publication takes (bench B8: about 2 ms of CPU
per input, nearly all in ``consult.identifiers``). A short text (a title, a
one-line recommendation) is scrubbed once per distinct value, regions and
places, without changing a byte of the result. Scrubbing in worker processes
was measured and left out: see docs/scale.md (B8).
"""

from __future__ import annotations

import re
from functools import lru_cache

from consult.digest.redaction import ExternalText
from consult.digest.releases.places import replace_places

#: Texts up to this many characters are scrubbed once per distinct value, and how many
#: are kept (a few MiB at most).
CACHED_LENGTH = 256
CACHED_TEXTS = 16_384
#: Any decimal digit, in any script (what ``\d`` matches): phone numbers need one.
_DIGIT = re.compile(r"\d")

#: The texts of one input (title, body, summary, recommendations), its countries
#: (read for local phone numbers) and the countries whose places it must not name.
Work = tuple[tuple[str | None, ...], tuple[str, ...], tuple[str, ...]]


class Cleaner:
    """``ExternalText.scrub`` then ``replace_places``, once per distinct short text.

    The result depends only on the text, the registered names (fixed for the
    release), the places to replace and, for phone numbers alone, the regions;
    a phone number needs a digit, so a text without one is cached whatever its
    regions. The bytes are those of an uncached call.
    """

    def __init__(self, scrubber: ExternalText, size: int = CACHED_TEXTS) -> None:
        self._scrubber = scrubber
        self._cached = lru_cache(maxsize=size)(self._clean)

    def __call__(self, value: str | None, regions: tuple[str, ...], places: tuple[str, ...]) -> str:
        if not value:
            return ""
        if len(value) > CACHED_LENGTH:  # a long text rarely repeats: memory stays small
            return self._clean(value, regions, places)
        return self._cached(value, regions if _DIGIT.search(value) else (), places)

    def _clean(self, value: str, regions: tuple[str, ...], places: tuple[str, ...]) -> str:
        cleaned = self._scrubber.scrub(value, regions)
        return replace_places(cleaned, places) if places else cleaned

    def work(self, work: Work) -> tuple[str, ...]:
        """An input's texts, scrubbed, in their order."""
        values, regions, places = work
        return tuple(self(value, regions, places) for value in values)
