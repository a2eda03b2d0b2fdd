"""People's names without titles, in Latin, Cyrillic and Arabic script.

Rules, in order of confidence:

- a title or a context word before capitalised words ("Dr", "Judge", "according
  to", "selon", "по словам", "الشيخ") makes them a name;
- otherwise a run of capitalised words is a name from its first given name
  (names-dataset gazetteer, Cyrillic case endings tried) when at least one
  capitalised word follows it: "Amira Haddad-Trabelsi", "Андрія Ковальчука";
- an initial and a known surname ("O. Tkachuk"), a kunya ("Abu Khaled");
- in Arabic, which has no capitals, a given name followed by a known surname,
  a second given name or an ``عبد`` compound ("سامر الخوالدة", "منى عبد الحميد").

A run that also names an institution, a place or a law ("Rafic Hariri
International Airport", "Law No. 175") is not a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import compress

import stopwordsiso

from consult.identifiers.gazetteer import Gazetteer, load
from consult.identifiers.organisations import LATIN_KEYWORDS, PUBLIC_MARKERS

Span = tuple[int, int, str]

_WORD = re.compile(r"[^\W\d_]\.(?=\s)|[^\W\d_](?:[\w\u2019'\-]*[^\W_])?")
_PARTICLES = frozenset(
    "al el al- el- ben bin ibn abu abou bou ould ait aït de da di del van von der le".split()
)
_KUNYA = frozenset("abu abou umm oum um".split())
# Words after which capitalised words are a person's name (lower-cased).
TITLES = frozenset(
    """mr mrs ms miss dr doctor prof professor sheikh shaykh imam father judge colonel col
    general gen captain capt major lieutenant minister mayor sister brother madame monsieur
    mme mlle m maître me docteur juge lawyer journalist activist officer commander
    coordinator director deputy volunteer researcher spokesperson witness
    avocat avocate journaliste militante militant coordinateur coordinatrice directeur
    directrice chercheur chercheuse témoin
    господин госпожа доктор судья полковник генерал майор капитан адвокат журналист
    координатор директор пан пані суддя судді полковника лікар лікарка волонтер волонтерка
    журналістка адвокатка правозахисниця правозахисник""".split()
)
_CUE_PHRASES = re.compile(
    r"(?:according\s+to|said|says|told|named|called|selon|d'après|по\s+словам|за\s+словами|"
    r"named|known\s+as)\s+$",
    re.IGNORECASE,
)
# Nouns that make a preceding name part of a place or an institution.
_PLACE_NOUNS = frozenset(
    """airport international university hospital street avenue square bridge stadium school
    mosque church cathedral prison port district province region governorate camp valley
    river mountains mountain lake bay park centre center institute library museum station
    highway road boulevard plaza plant power nuclear company foundation prize award law
    article resolution decree code
    act convention protocol plan review report programme program mission delegation
    division directorate service agency office department commission dam gate tower
    aéroport université hôpital rue place pont école mosquée prison loi décret
    проспект улица аэропорт университет больница площадь закон вулиця площа миссия місія
    миссии місії совет рада европы европа європи європа союз республика республіки""".split()
)
_MONTHS = frozenset(
    """january february march april may june july august september october november
    december janvier février mars avril mai juin juillet août septembre octobre novembre
    décembre monday tuesday wednesday thursday friday saturday sunday""".split()
)
_CYR_ENDINGS = (
    "ой",
    "ей",
    "ом",
    "ем",
    "ою",
    "ею",
    "ові",
    "еві",
    "а",
    "я",
    "у",
    "ю",
    "ы",
    "и",
    "е",
    "і",
    "ї",
)
_CYR_ADD = ("", "й", "а", "я", "ь")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for lang in ("en", "fr", "ru", "uk", "ar"):
        words |= stopwordsiso.stopwords(lang)
    return frozenset(words)


_COMPASS = frozenset(
    """north south east west northern southern eastern western central middle gulf
    africa asia europe america atlantic mediterranean sahel balkans caucasus levant maghreb
    sector reform treaty organisation organization cooperation rule conclusions""".split()
)


def _country_words() -> frozenset[str]:
    """Every word of every country's name (pycountry): "Jordan" there is a country."""
    import pycountry

    words: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            words.update(w.lower() for w in re.findall(r"\w+", getattr(country, attr, "") or ""))
    return frozenset(w for w in words if len(w) > 3)


_NOT_NAME = (
    frozenset(LATIN_KEYWORDS | PUBLIC_MARKERS | _PLACE_NOUNS | _MONTHS | TITLES | _COMPASS)
    | _country_words()
)


def _is_cyrillic(word: str) -> bool:
    return "\u0400" <= word[0] <= "\u04ff"


def _variants(word: str) -> list[str]:
    """The word and, in Cyrillic, its likely nominative forms."""
    forms = [word]
    if _is_cyrillic(word):
        for ending in _CYR_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                stem = word[: -len(ending)]
                forms.extend(stem + add for add in _CYR_ADD)
    return forms


def _lookup(word: str, names: frozenset[str]) -> bool:
    return any(form in names for form in _variants(word))


def _is_given(word: str, gazetteer: Gazetteer, sentence_start: bool = True) -> bool:
    lowered = word.lower()
    if lowered in _NOT_NAME or len(word) < 2:
        return False
    # Mid-sentence, a capitalised "Said" or "Hope" is a name, not the common word.
    if lowered in _stopwords() and (sentence_start or len(word) <= 3):
        return False
    parts = word.split("-")
    return _lookup(parts[0], gazetteer.given)


@lru_cache(maxsize=65536)
def _capitalised(word: str) -> bool:
    if word[0].isupper():
        return True
    lowered = word.lower()
    return lowered in _PARTICLES or lowered.startswith(("al-", "el-", "ad-", "as-", "ash-"))


def _runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of capitalised words (and name particles) separated only by spaces.

    Only the capitalised words are visited: any other word between two of them
    (lower-case, or Arabic script) sits in the gap, so the run ends there.
    """
    words = list(_WORD.finditer(text))
    run: list[re.Match[str]] = []
    for match in compress(words, map(_capitalised, _WORD.findall(text))):
        if run and text[run[-1].end() : match.start()].strip(" \u00a0"):
            yield run
            run = []
        run.append(match)
    if run:
        yield run


def _preceding(text: str, start: int) -> str:
    return text[max(0, start - 40) : start]


def _title_before(text: str, start: int) -> bool:
    before = _preceding(text, start)
    words = re.findall(r"[^\W\d_]+\.?", before)
    if words and words[-1].rstrip(".").lower() in TITLES:
        return True
    return bool(_CUE_PHRASES.search(before))


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4) : start].rstrip(" \u00a0\t\"'«“(")
    return not before or before[-1] in ".!?:;\n—–"


def _name_tail(words: list[str], first: int, gazetteer: Gazetteer, strict: bool = False) -> int:
    """How many words from ``first`` on make the name (0 if it is not one).

    ``strict`` (a capitalised common word may start the sentence): the second
    word must be a known surname or given name, or a name particle.
    """
    if strict and first + 1 < len(words):
        second = words[first + 1]
        if not (
            second.lower() in _PARTICLES
            or _lookup(second.split("-")[0], gazetteer.surnames)
            or _lookup(second.split("-")[0], gazetteer.given)
        ):
            return 0
    count = 1
    for word in words[first + 1 : first + 4]:
        lowered = word.lower().rstrip(".")
        if lowered in _NOT_NAME or lowered in _stopwords() and lowered not in _PARTICLES:
            break
        if len(word) > 1 and word[:-1].isupper():
            break  # an acronym ("Gagauz CSOs", "Миссия ЕС")
        count += 1
    # A trailing particle is not part of the name.
    while count > 1 and words[first + count - 1].lower() in _PARTICLES:
        count -= 1
    if count < 2:
        return 0
    after = words[first + count] if first + count < len(words) else ""
    if after.lower() in _PLACE_NOUNS or after.lower() in LATIN_KEYWORDS:
        return 0  # "Rafic Hariri International Airport"
    return count


_CONTINUES = re.compile(
    r"[A-Z\u00c0-\u024f\u0400-\u042f][\w\-]*\s+(?:for|of|de|des|du|pour|la|pour\s+la|de\s+la)\s+$"
)


def _latin_cyrillic(text: str, gazetteer: Gazetteer) -> Iterator[Span]:
    for run in _runs(text):
        words = [m.group() for m in run]
        lowered = [w.lower() for w in words]
        if any(w in LATIN_KEYWORDS for w in lowered):
            continue  # an organisation's name, found elsewhere
        if _CONTINUES.search(_preceding(text, run[0].start())):
            continue  # the end of a longer proper name ("Council for Human Rights")
        if any(w in _PLACE_NOUNS for w in lowered[1:]):
            continue  # "Zaporizhzhia Nuclear Power Plant"
        index = 0
        while index < len(words):
            word = words[index]
            titled = index == 0 and _title_before(text, run[0].start())
            if lowered[index] in TITLES or lowered[index].rstrip(".") in TITLES:
                titled = True
                index += 1
                if index >= len(words):
                    break
                word = words[index]
            if lowered[index] in _KUNYA and index + 1 < len(words):
                if _is_given(words[index + 1], gazetteer, False):
                    yield run[index].start(), run[index + 1].end(), "person"
                    index += 2
                    continue
            if len(word) == 2 and word.endswith(".") and index + 1 < len(words):
                surname = words[index + 1]
                if _lookup(surname, gazetteer.surnames) or titled:
                    yield run[index].start(), run[index + 1].end(), "person"
                    index += 2
                    continue
            start_of_sentence = _at_sentence_start(text, run[index].start())
            if titled or _is_given(word, gazetteer, start_of_sentence):
                count = _name_tail(words, index, gazetteer, strict=start_of_sentence and not titled)
                if count:
                    yield run[index].start(), run[index + count - 1].end(), "person"
                    index += count
                    continue
                if titled and lowered[index] not in _NOT_NAME and not word[:-1].isupper():
                    # "Dr Farghaly": a title and one capitalised word
                    yield run[index].start(), run[index].end(), "person"
            index += 1


_AR_WORD = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")
AR_TITLES = frozenset(
    """الشيخ الشيخة الدكتور الدكتورة د. القاضي القاضية المهندس المهندسة الأستاذ الأستاذة
    المحامي المحامية السيد السيدة العقيد اللواء النقيب الناشط الناشطة الصحفي الصحفية
    المنسق المنسقة الحاج الحاجة""".split()
)
_AR_COMPOUND = frozenset(["عبد", "أبو", "ابو", "أم", "بن", "ابن", "بنت"])
_AR_CUE = re.compile(r"(?:قال|قالت|أكد|أكدت|أفاد|أفادت|بحسب|وفق|حسب|يعمل|تعمل|أطلق|أطلقت)\s+$")


def _arabic(text: str, gazetteer: Gazetteer) -> Iterator[Span]:
    tokens = list(_AR_WORD.finditer(text))
    words = [t.group() for t in tokens]
    stop = _stopwords()

    def joined(i: int) -> bool:
        return not text[tokens[i - 1].end() : tokens[i].start()].strip(" \u00a0")

    index = 0
    while index < len(tokens):
        word = words[index]
        titled = word in AR_TITLES
        start_at = index + 1 if titled else index
        if start_at >= len(tokens) or (titled and not joined(start_at)):
            index += 1
            continue
        first = words[start_at]
        if not titled and (first in stop or first not in gazetteer.given):
            index += 1
            continue
        end_at = start_at
        j = start_at + 1
        while j < len(tokens) and j - start_at <= 3 and joined(j):
            nxt = words[j]
            prev = words[j - 1]
            if nxt in stop and prev not in _AR_COMPOUND:
                break
            known = nxt in gazetteer.surnames or nxt in gazetteer.given
            if j - start_at >= 2 and prev not in _AR_COMPOUND and not nxt.startswith("ال"):
                break  # a third name word is a family name ("الفرجاني")
            if prev in _AR_COMPOUND or (known and (titled or j - start_at <= 2)):
                end_at = j
                j += 1
                continue
            break
        if first in _AR_COMPOUND and end_at == start_at:
            index += 1
            continue
        if end_at > start_at or titled:
            cue = titled or _AR_CUE.search(
                text[max(0, tokens[start_at].start() - 12) : tokens[start_at].start()]
            )
            surname_known = any(
                words[k].startswith("ال") and words[k] in gazetteer.surnames
                for k in range(start_at + 1, end_at + 1)
            )
            if titled or cue or surname_known:
                yield tokens[start_at].start(), tokens[end_at].end(), "person"
                index = end_at + 1
                continue
        index += 1


def find_people(text: str, gazetteer: Gazetteer | None = None) -> Iterator[Span]:
    """Spans of ``text`` that name a person."""
    gazetteer = gazetteer or load()
    yield from _latin_cyrillic(text, gazetteer)
    yield from _arabic(text, gazetteer)
