"""Registered names (organisations, users, emails) found in one pass over the text.

Every name is folded to its skeleton (:mod:`consult.identifiers.normalise`) and
put in one Aho-Corasick automaton (pyahocorasick), so a text is scanned once
whatever the number of registered names: no regular expression per name.
Acronyms ("KYSO", "ГИГК") are matched case-sensitively on the original text,
in one combined pattern, together with their transliteration ("GIGK").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import ahocorasick
from anyascii import anyascii

from consult.identifiers.normalise import fold_name, folded, skeleton

Span = tuple[int, int, str]

_ACRONYM = re.compile(r"[A-Z\u0410-\u042f\u0404\u0406\u0407\u0490\u00c0-\u00de0-9&]{2,10}")


def is_acronym(value: str) -> bool:
    """An all-capitals word of 2 to 10 letters: matched as written, never folded."""
    return bool(_ACRONYM.fullmatch(value)) and any(ch.isalpha() for ch in value)


def _lowered_acronym(value: str) -> bool:
    """A short single lower-case word ("kyso"): an acronym someone lower-cased."""
    return value.islower() and value.isalnum() and 2 <= len(value) <= 6


class Registry:
    """The registered names, compiled once for any number of texts."""

    def __init__(self, names: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        acronyms: set[str] = set()
        count = 0
        for raw in names:
            value = (raw or "").strip()
            if not value:
                continue
            if is_acronym(value) or _lowered_acronym(value):
                # Matched in capitals only, as acronyms are written ("KYSO", not "kyso").
                value = value.upper()
                acronyms.add(value)
                transliterated = anyascii(value).upper()
                if is_acronym(transliterated):
                    acronyms.add(transliterated)
                continue
            key = fold_name(value)
            # One short word ("Hub", "Ali") would match everyday text: skip it.
            if len(key.strip()) < 4 or (" " not in key.strip() and len(key.strip()) < 6):
                continue
            self._automaton.add_word(key, len(key))
            count += 1
        self.size = count + len(acronyms)
        self._has_names = count > 0
        if self._has_names:
            self._automaton.make_automaton()
        self._acronyms = (
            re.compile(
                r"(?<![\w])(?:"
                + "|".join(re.escape(a) for a in sorted(acronyms, key=len, reverse=True))
                + r")(?![\w])"
            )
            if acronyms
            else None
        )

    def find(self, text: str) -> Iterator[Span]:
        if self._has_names:
            # Most texts name no one: scan the cheap skeleton, map offsets only on a match.
            matches = list(self._automaton.iter(folded(text)))
            origin = skeleton(text)[1] if matches else []
            for end, length in matches:
                first = end - length + 1
                # The key is " name ": map its first and last letters back to the text.
                start = origin[first + 1]
                stop = origin[end]
                yield start, stop, "registered"
        if self._acronyms is not None:
            for match in self._acronyms.finditer(text):
                yield match.start(), match.end(), "registered"
