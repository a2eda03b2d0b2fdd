"""Identifiers with a shape: emails (plain and obfuscated), URLs, social handles,
phone numbers (checked with libphonenumber), street addresses and ID numbers.

Each finder takes the text and yields ``(start, end, kind)`` spans. Digits in
other scripts (Arabic-Indic, Persian) are read as digits throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers

Span = tuple[int, int, str]

# The platform's partner countries: the regions a local phone number is tried in
# when the input names no country.
PARTNER_REGIONS = (
    "DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN",
    "AM", "AZ", "BY", "GE", "MD", "UA",
)  # fmt: skip

# Arabic-Indic and Extended Arabic-Indic (Persian) digits, read as ASCII digits.
# One character for one, so offsets in the translated text are offsets in the original.
_DIGITS = str.maketrans(
    {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
)


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+\-]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"(?<![\w.@]){_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,}}")
# "name [at] domain [dot] org", "name(at)domain.org", "name {at} domain {dot} org".
_AT = r"\s*[\[\(\{<]\s*(?:at|@|arobase|собака)\s*[\]\)\}>]\s*"
_DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|point|точка|\.)\s*[\]\)\}>]\s*|\.)"
OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.]){_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[A-Za-z]{{2,}}\b",
    re.IGNORECASE,
)

_GTLDS = (
    "com|org|net|info|io|eu|ngo|ong|edu|gov|int|biz|app|online|site|news|media|tv|me|co|"
    "africa|arab|website|blog|press|social|live"
)
# Scheme URLs, www. hosts, and bare domains ending in a common or country TLD.
URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?\u060c]"
    rf"|(?<![\w@.\-/])(?:{_LABEL}\.)+(?:{_GTLDS}|[a-z]{{2}})\b(?![@\-])"
    r"(?:/[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?\u060c])?",
    re.IGNORECASE,
)
_SOCIAL_HOSTS = (
    "t.me", "telegram.me", "facebook.com", "fb.com", "m.facebook.com", "instagram.com",
    "twitter.com", "x.com", "tiktok.com", "youtube.com", "linkedin.com", "vk.com",
    "threads.net", "bsky.app", "wa.me", "ok.ru",
)  # fmt: skip
HANDLE_RE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")

# Phone candidates: an optional + or 00, then digits with spaces, dots, dashes or brackets.
# Brackets only around an area code at the start ("(0552) 55-50-17", "+7 (495) 555 12 34"),
# so that "resolution 2240 (2015)" is not read as a number.
PHONE_CANDIDATE_RE = re.compile(
    r"(?<![\w+\-/.,])(?:(?:\+|00)\s?\d{1,4}[\s.\-]?)?(?:\(\+?\d{1,5}\)[\s.\-]?)?"
    r"\d[\d\s.\-\u2011]{4,}\d(?![\w/])"
)
_DATE_RE = re.compile(
    r"\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}"
    r"|\d{4}\s*[-\u2013\u2014]\s*\d{2,4}"
)
# Counts written with thousands separators and followed by what they count
# ("1 000 000 people", "1.250.000 euros"); a number starting with 0 is not a count.
_COUNT_RE = re.compile(r"[1-9]\d{0,2}(?:[ ,.\u00a0]\d{3})+")
_COUNTED = re.compile(r"[ \u00a0]*[^\W\d_]")

_NUMBER_CUE = (
    r"passport|passeport|паспорт|паспорта|ID(?:\s+card)?|identity\s+card|national\s+ID|"
    r"carte\s+d['\u2019]identit[ée](?:\s+nationale)?|CIN|"
    r"registration(?:\s+no\.?|\s+number)?|tax\s+(?:no\.?|number|ID)|case(?:\s+no\.?|\s+number)|"
    r"file(?:\s+no\.?|\s+number)|РНОКПП|ІПН|ИНН|ИН|УНП|IDNP|TIN|NIF|"
    r"رقم(?:\s+ملفه|\s+ملفها|\s+الملف|\s+الهوية|\s+جواز\s+السفر|\s+وطني)?|جواز\s+سفره?|هويته"
)
# A number after a cue ("passport No. C05551234", "n° 05551872", "РНОКПП 3055512748"):
# candidates with five digits or more are found first, then the words before them read.
ID_CANDIDATE_RE = re.compile(
    r"(?<![\w.\-/])(?=[\w.\-/]*\d[\w.\-/]*\d[\w.\-/]*\d[\w.\-/]*\d[\w.\-/]*\d)"
    r"[A-Za-z0-9][\w.\-/]*\w"
)
ID_CUE_BEFORE_RE = re.compile(
    rf"(?:^|[^\w])(?:{_NUMBER_CUE})\s*[:#(]?\s*(?:(?:no\.?|n[°o]\.?|№|number)\s*)?$",
    re.IGNORECASE,
)
# Letters then many digits (passport style), or digits, letters, digits (case files).
# Or a two-letter series then six digits (older Ukrainian and Russian passports: "ЕК 555183").
ID_SHAPE_RE = re.compile(
    r"(?<![\w\-])(?:[A-Z]{1,3}\d{6,10}|\d{2,5}-\d{0,4}[A-Z]{1,3}\d{4,10}"
    r"|[A-Z\u0410-\u042f\u0404\u0406\u0407]{2}\s?\d{6})(?![\w\-])"
)

# Street addresses: "14 Sharia Jamal Abdel Nasser", "27 Rue Mar Elias", "12 rue Abou el
# Kacem Chebbi", "ул. Советская, д. 47, кв. 5", "вул. Січеславська Набережна, 15",
# "شارع الجمهورية، عمارة ٩".
_STREET_WORDS = (
    r"rue|avenue|av\.|bd|boulevard|street|st\.|road|rd\.|lane|square|place|impasse|chemin|"
    r"route|allée|quai|sharia|shari'a|sharii|charia|nahj|zanqa|derb|hay|cité|résidence"
)
_NAME_WORD = (
    r"(?:[A-Z\u00c0-\u024f][\w'\u2019\-]*|el|al|ibn|bin|ben|abou|abu|de|du|des|la|le|d'|l')"
)
LATIN_ADDRESS_RE = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[a-zA-Z]))?,?\s+(?:{_STREET_WORDS})\s+{_NAME_WORD}"
    rf"(?:\s+{_NAME_WORD}){{0,5}}"
    r"(?:,?\s+(?:apt\.?|flat|appt\.?|apartment|app\.?|floor|étage)\s*\d+\w*)?",
    re.IGNORECASE,
)
LATIN_ADDRESS_AFTER_RE = re.compile(
    rf"\b(?:{_STREET_WORDS})\s+{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}},?\s+(?:No\.?\s*)?\d{{1,4}}\b"
    r"(?:,?\s+(?:apt\.?|flat|appt\.?|apartment)\s*\d+\w*)?",
)
CYRILLIC_ADDRESS_RE = re.compile(
    r"(?<![\w])(?:ул|вул|улица|вулиця|пр|просп|проспект|пров|пер|переулок|провулок|бул|бульв|"
    r"бульвар|пл|площадь|площа|шоссе|шосе|наб)\.?\s+"
    r"[\u0400-\u04ff0-9][\u0400-\u04ff\w'’\-]*(?:\s+[\u0400-\u04ff][\u0400-\u04ff\w'’\-]*){0,3}"
    r",?\s*(?:(?:д|буд|дом|будинок)\.?\s*)?\d{1,4}[а-яієa-z]?"
    r"(?:\s*[,/]\s*(?:(?:корп|к|стр)\.?\s*\d+))?"
    r"(?:\s*,\s*(?:кв|оф|квартира)\.?\s*\d+)?"
)
ARABIC_ADDRESS_RE = re.compile(
    r"(?:شارع|نهج|زنقة|طريق|حي|درب)\s+[\u0621-\u064a][\u0621-\u0652]*(?:\s+[\u0621-\u064a][\u0621-\u0652]*){0,2}"
    r"(?:\s*[،,]?\s*(?:عمارة|بناية|مبنى|رقم|شقة|الطابق)\s*[0-9]+)*"
)


_FIVE_DIGITS = re.compile(r"\d(?:[\s.\-()/]*\d){4}")
_ANY_DIGIT = re.compile(r"\d")


# Cheap tests that a text may hold a match at all: each is implied by the pattern it
# guards, so skipping the pattern when its test fails loses nothing (bench B9).
_OBFUSCATED_AT = re.compile(r"[\[\(\{<]\s*(?:at|@|arobase|собака)\s*[\]\)\}>]", re.IGNORECASE)
_MAY_BE_URL = re.compile(r"://|www\.|[A-Za-z0-9]\.[A-Za-z]", re.IGNORECASE)


def find_emails(text: str) -> Iterator[Span]:
    if "@" in text:
        for match in EMAIL_RE.finditer(text):
            yield match.start(), match.end(), "email"
    if _OBFUSCATED_AT.search(text):
        for match in OBFUSCATED_EMAIL_RE.finditer(text):
            yield match.start(), match.end(), "email"


def find_urls_and_handles(text: str) -> Iterator[Span]:
    if not _MAY_BE_URL.search(text):
        yield from _handles(text)
        return
    for match in URL_RE.finditer(text):
        value = match.group().lower()
        host = re.sub(r"^(?:https?://|ftp://)?(?:www\.)?", "", value).split("/", 1)
        kind = "handle" if host[0] in _SOCIAL_HOSTS and len(host) > 1 and host[1] else "url"
        start = match.start()
        if start > 0 and text[start - 1] == "@":
            continue  # the domain of an email
        yield start, match.end(), kind
    yield from _handles(text)


def _handles(text: str) -> Iterator[Span]:
    if "@" in text:
        for match in HANDLE_RE.finditer(text):
            yield match.start(), match.end(), "handle"


def _is_phone(candidate: str, regions: Iterable[str]) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if digits < 7 or digits > 15:
        return False
    stripped = candidate.strip("() ")
    if _DATE_RE.fullmatch(stripped):
        return False
    number = stripped.replace("(", "").replace(")", "")
    if number.startswith("00"):
        number = "+" + number[2:]
    try:
        if number.startswith("+"):
            return phonenumbers.is_possible_number(phonenumbers.parse(number, None))
        for region in regions:
            if phonenumbers.is_possible_number(phonenumbers.parse(number, region)):
                return True
    except phonenumbers.NumberParseException:
        return False
    return False


def find_phones(text: str, regions: Iterable[str] = ()) -> Iterator[Span]:
    """Phone numbers, local ones tried in the input's regions first, then the partners'."""
    tries = list(dict.fromkeys([*(r.upper() for r in regions if r), *PARTNER_REGIONS]))
    for match in PHONE_CANDIDATE_RE.finditer(text):
        candidate = match.group().rstrip(" .-")
        start = match.start()
        if _COUNT_RE.fullmatch(candidate) and _COUNTED.match(text, start + len(candidate)):
            continue
        if _is_phone(candidate, tries):
            yield start, start + len(candidate), "phone"


def find_id_numbers(text: str) -> Iterator[Span]:
    for match in ID_CANDIDATE_RE.finditer(text):
        if ID_CUE_BEFORE_RE.search(text, max(0, match.start() - 60), match.start()):
            yield match.start(), match.end(), "id_number"
    for match in ID_SHAPE_RE.finditer(text):
        yield match.start(), match.end(), "id_number"


def find_addresses(text: str) -> Iterator[Span]:
    for pattern in (
        LATIN_ADDRESS_RE,
        LATIN_ADDRESS_AFTER_RE,
        CYRILLIC_ADDRESS_RE,
        ARABIC_ADDRESS_RE,
    ):
        for match in pattern.finditer(text):
            yield match.start(), match.end(), "address"


def find_shaped(text: str, regions: Iterable[str] = ()) -> Iterator[Span]:
    """Every identifier with a recognisable shape in ``text``."""
    plain = ascii_digits(text)
    if "@" in plain or "." in plain or "(" in plain or "[" in plain:
        yield from find_emails(plain)
        yield from find_urls_and_handles(plain)
    # Phones, ID numbers and addresses all need a run of digits.
    if _FIVE_DIGITS.search(plain):
        yield from find_phones(plain, regions)
        yield from find_id_numbers(plain)
    if _ANY_DIGIT.search(plain):
        yield from find_addresses(plain)
