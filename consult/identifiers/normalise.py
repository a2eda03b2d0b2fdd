"""Folding text to a comparable skeleton while remembering where each character came from.

Registered names must be found however they are written: any case, with or
without diacritics, across line breaks, double or non-breaking spaces,
hyphens and punctuation, and in Latin or Cyrillic script. The skeleton is the
text transliterated to ASCII (anyascii), lower-cased, with every run of
non-alphanumeric characters reduced to one space and a few spelling variants
of transliteration folded together (c/q/k, y/i, w/v, kh/h, ph/f, doubled
letters). Each skeleton character keeps the offset of the original character it
came from, so a match in the skeleton maps back to a span of the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_LETTER_FOLD = str.maketrans({"c": "k", "q": "k", "y": "i", "w": "v", "j": "i", "x": "ks"})
_PAIR_FOLD = (("kh", "h"), ("ph", "f"), ("sh", "s"), ("ch", "s"), ("ou", "u"), ("ee", "i"))


# A word: letters and digits of any script, with the combining accents of a decomposed letter.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def _fold_token(token: str) -> str:
    """One word of the text as it appears in the skeleton ('' when nothing is left)."""
    if not token.isascii():
        token = anyascii(token)
    return fold_word(_NOT_ALNUM.sub("", token.lower()))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Spelling variants of one lower-case ASCII word folded together."""
    word = word.translate(_LETTER_FOLD)
    for pair, single in _PAIR_FOLD:
        word = word.replace(pair, single)
    # Doubled letters ("Youssef"/"Yousef", "Mohammed"/"Mohamed") count once.
    out = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` folded to ``" word word "`` and, per skeleton character, its origin offset.

    Words are folded with :func:`fold_word`; the skeleton starts and ends with
    a space so that whole-word matching is a plain substring search.
    """
    chars = [" "]
    origin = [0]
    for match in _WORD.finditer(text):
        folded = _fold_token(match.group())
        if not folded:
            continue
        chars.append(folded)
        # Characters of a folded word map to the word's first offset; its end is kept
        # on the following space so a match ending at the word's end maps to ``finish``.
        origin.extend([match.start()] * len(folded))
        chars.append(" ")
        origin.append(match.end())
    return "".join(chars), origin


def folded(text: str) -> str:
    """The skeleton of ``text`` without the offsets: the same string as ``skeleton(text)[0]``.

    Cheap (one regex pass, the words folded through a cache): the automaton
    scans this, and the offsets are worked out only for a text where it matched.
    """
    words = [word for word in map(_fold_token, _WORD.findall(text)) if word]
    return " " + " ".join(words) + " " if words else " "


def fold_name(name: str) -> str:
    """The skeleton of a name, with its padding spaces: what to look for."""
    return skeleton(name)[0]
