"""Finding identifiers in free text, for moderators to redact and digests to strip.

Detects what identifies a person or an organisation:

- shaped identifiers (:mod:`.patterns`): emails, also written ``name [at]
  domain [dot] org``; URLs and bare domains; social handles; phone numbers
  checked with libphonenumber (local formats tried in the input's countries,
  ``00`` prefixes, Arabic-Indic digits); street addresses; ID and passport
  numbers;
- registered names (:mod:`.registry`): organisations, their acronyms and users,
  however they are cased, accented, spaced, hyphenated or transliterated;
- people's names without titles (:mod:`.people`) and organisations nobody
  registered (:mod:`.organisations`), in Latin, Cyrillic and Arabic script.

Moderators see each finding with its kind; digests meant to leave the EU
institutions redact them all as ``[redacted]``. See docs/identifiers.md.

For many texts, build a :class:`Detector` once (``detector_for(known)``) and call
its ``redact``/``find``: ``redact(text, known)`` does that for you, keeping the
compiled detector of the last few ``known`` lists.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from consult.identifiers.organisations import find_organisations, find_quoted_names
from consult.identifiers.patterns import find_shaped
from consult.identifiers.people import find_people
from consult.identifiers.registry import Registry

REDACTED = "[redacted]"

# What moderators read next to each finding.
KINDS = (
    "registered",
    "organisation",
    "person",
    "email",
    "phone",
    "url",
    "handle",
    "address",
    "id_number",
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str  # one of KINDS
    text: str


class Detector:
    """Every finder, with the registered names compiled once."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.registry = Registry(known)

    def find(self, text: str, regions: Sequence[str] = ()) -> list[Finding]:
        """Every identifier-looking span in ``text``, without overlaps, in order.

        ``regions`` are ISO country codes tried first for local phone numbers.
        """
        if not text:
            return []
        spans: list[tuple[int, int, str]] = []
        spans.extend(self.registry.find(text))
        spans.extend(find_shaped(text, regions))
        spans.extend(find_organisations(text))
        spans.extend(find_quoted_names(text))
        spans.extend(find_people(text))
        return _merged(text, spans)

    def redact(self, text: str, replacement: str = REDACTED, regions: Sequence[str] = ()) -> str:
        if not text:
            return text
        return redact_spans(text, [(f.start, f.end) for f in self.find(text, regions)], replacement)


# Earlier kinds win when two findings overlap (a registered name over a guessed one).
_RANK = {kind: index for index, kind in enumerate(KINDS)}


def _merged(text: str, spans: list[tuple[int, int, str]]) -> list[Finding]:
    """Overlapping spans become one finding covering both, so nothing is half-redacted."""
    ordered = sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], -s[1]))
    merged: list[list] = []
    for start, end, kind in ordered:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end > last[1]:
                last[1] = end
            if _RANK[kind] < _RANK[last[2]]:
                last[2] = kind
            continue
        merged.append([start, end, kind])
    return [Finding(s, e, k, text[s:e]) for s, e, k in merged]


class KnownIdentifiers(list):
    """The registered names, carrying their compiled :class:`Detector` (built on first use)."""

    _detector: Detector | None = None

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            # The same names as a previous call (the next page view) reuse its automaton.
            self._detector = detector_for(tuple(self))
        return self._detector


_CACHE: OrderedDict[tuple[str, ...], Detector] = OrderedDict()


def detector_for(known: Iterable[str] = ()) -> Detector:
    """The compiled detector for ``known`` (kept for the last few lists seen)."""
    if isinstance(known, KnownIdentifiers):
        return known.detector
    key = tuple(known)
    detector = _CACHE.get(key)
    if detector is None:
        detector = Detector(key)
        _CACHE[key] = detector
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return detector


def find_identifiers(
    text: str, known: Iterable[str] = (), regions: Sequence[str] = ()
) -> list[Finding]:
    """Every identifier-looking span in ``text``, without overlaps, in order."""
    if not text:
        return []
    return detector_for(known).find(text, regions)


def redact(
    text: str,
    known: Iterable[str] = (),
    replacement: str = REDACTED,
    regions: Sequence[str] = (),
) -> str:
    """``text`` with every identifier replaced by ``replacement``."""
    if not text:
        return text
    return detector_for(known).redact(text, replacement, regions)


def redact_spans(text: str, spans: Iterable[tuple[int, int]], replacement: str = REDACTED) -> str:
    """``text`` with the given (start, end) spans replaced, e.g. those a moderator confirmed."""
    ordered = sorted({(max(0, s), min(len(text), e)) for s, e in spans if e > s})
    parts: list[str] = []
    cursor = 0
    for start, end in ordered:
        if start < cursor:
            start = cursor
        if start >= end:
            continue
        parts.append(text[cursor:start])
        parts.append(replacement)
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def segments(text: str, found: list[Finding], name: str) -> list[tuple[str, str | None]]:
    """``text`` split into plain parts and marked identifiers (with an anchor id), for pages."""
    parts: list[tuple[str, str | None]] = []
    cursor = 0
    for index, finding in enumerate(found):
        parts.append((text[cursor : finding.start], None))
        parts.append((text[finding.start : finding.end], f"mark-{name}-{index}"))
        cursor = finding.end
    parts.append((text[cursor:], None))
    return [p for p in parts if p[0]]


def known_from_organisations(rows: Iterable[tuple[str, str | None, str | None]]) -> list[str]:
    """Name, acronym and email of each organisation, as known identifiers."""
    values: list[str] = []
    for name, acronym, email in rows:
        values.extend(v for v in (name, acronym, email) if v)
    return values


def known_identifiers() -> KnownIdentifiers:
    """Names, acronyms and emails of every registered organisation and user (from the database).

    Kept per process until the database says they changed (:mod:`.known`).
    """
    from consult.identifiers.known import known_identifiers as current

    return current()


__all__ = [
    "KINDS",
    "REDACTED",
    "Detector",
    "Finding",
    "KnownIdentifiers",
    "detector_for",
    "find_identifiers",
    "known_from_organisations",
    "known_identifiers",
    "redact",
    "redact_spans",
]
