"""Names of organisations nobody registered, or registered ones written in another language.

A registered organisation is found by its name, acronym and transliteration
(:mod:`consult.identifiers.registry`); this module finds the others by shape:
a proper-noun phrase built around a word that names a civil-society body
(association, network, forum, réseau, جمعية, мережа, …), in Latin, Arabic or
Cyrillic script. Phrases that name a public institution (anything national,
state, ministerial, EU or UN) are left alone: digests must keep those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import compress

Span = tuple[int, int, str]

# Words that make a phrase the name of a civil-society body (Latin script, any case).
LATIN_KEYWORDS = frozenset(
    """association associations network networks forum forums centre center coalition
    council collective collectif observatory observatoire platform plateforme initiative
    initiatives committee comité club workshop atelier society société hub group groupe
    foundation fondation league ligue alliance movement mouvement union réseau reseau
    institute institut house maison circle cercle federation fédération trust
    rassemblement collectif assembly campaign campagne mothers women youth jeunes femmes
    watch monitor lab aid relief defenders solidarity voices""".split()
)
# Of those, the ones that name a body by themselves (not "women", "youth").
_HEAD_KEYWORDS = LATIN_KEYWORDS - {"mothers", "women", "youth", "jeunes", "femmes"}
# Keywords that start a French-style name followed by lower-case words.
_FRENCH_HEADS = frozenset(
    """association réseau reseau plateforme collectif comité observatoire fondation ligue
    mouvement centre maison union coalition initiative rassemblement atelier cercle
    fédération institut groupe forum""".split()
)
_CONNECTORS = frozenset(
    "of for and the in on at to de des du la le les l d pour et en à au aux sur contre".split()
)
# A phrase with one of these names a public body, an EU or UN body, or a place.
PUBLIC_MARKERS = frozenset(
    """national nationale nationales state ministry minister ministère ministre government
    gouvernement parliament parlement parliamentary parlementaire federal fédéral republic
    république royal royale european européen européenne eu ue un onu united nations nations
    unies supreme suprême high haut haute court cour tribunal police forces armed armée
    security sécurité council europe europa conclusions rule treaty declaration directive
    regulation""".split()
)
# "Security" and "council" only mark a public body together ("Security Council",
# "Conseil de sécurité"); alone they are common in CSO names.
_PUBLIC_ALONE = PUBLIC_MARKERS - {"security", "sécurité", "council"}
_PUBLIC_PAIRS = (("security", "council"), ("conseil", "sécurité"), ("conseil", "securite"))

_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9\-]*")
# Determiners a sentence may start a name with ("Our Tunisian Forum…"): not part of it.
_ARTICLES = frozenset(
    """the la le les l' l’ a an our their its his her my your this that these those
    notre nos votre vos leur leurs son sa ses ce cet cette ces un une""".split()
)

ARABIC_KEYWORDS = (
    "جمعية",
    "مجلس",
    "رابطة",
    "لجنة",
    "تجمع",
    "تجمّع",
    "شبكة",
    "منتدى",
    "مرصد",
    "مركز",
    "اتحاد",
    "ائتلاف",
    "مبادرة",
    "منصة",
    "ملتقى",
    "دار",
    "بيت",
    "نادي",
    "مؤسسة",
    "حركة",
    "تحالف",
    "هيئة",
    "جماعة",
    "مجموعة",
)
ARABIC_CONNECTORS = frozenset(["في", "من", "أجل", "اجل", "على", "و", "عن", "ضد", "مع"])
ARABIC_PUBLIC = (
    "الوطني",
    "الوطنية",
    "الأمن",
    "وزارة",
    "الاتحاد الأوروبي",
    "الأمم المتحدة",
    "الدولة",
    "النواب",
    "الشعب",
    "الوزراء",
    "الأعلى",
    "الحكومة",
)
_ARABIC_TOKEN = re.compile(r"[\u0621-\u064a\u0640\u064b-\u0652]+")

# Cyrillic keyword stems (Russian and Ukrainian, any case ending).
CYRILLIC_STEMS = (
    "инициатив",
    "ініціатив",
    "мереж",
    "сеть",
    "сети",
    "центр",
    "коалици",
    "коаліці",
    "ассоциаци",
    "асоціаці",
    "объединени",
    "об'єднанн",
    "обʼєднанн",
    "союз",
    "спілк",
    "фонд",
    "клуб",
    "комитет",
    "комітет",
    "хаб",
    "платформ",
    "форум",
    "движени",
    "рух",
    "обществ",
    "товариств",
    "групп",
    "груп",
    "лиг",
    "альянс",
    "обсерватори",
    "правозахисн",
)
CYRILLIC_PUBLIC = (
    "национальн",
    "національн",
    "государствен",
    "державн",
    "министерств",
    "міністерств",
    "ес",
    "єс",
    "оон",
    "обсе",
    "парламент",
    "верховн",
    "президент",
    "кабинет",
    "кабінет",
    "полици",
    "поліці",
    "миссия",
    "місія",
    "европ",
    "європ",
)
_CYR_WORD = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff'ʼ’\-]*")
# Past-tense and present verb endings stop a genitive chain ("… контроля зафиксировала").
_CYR_VERB = re.compile(
    r".*(?:ла|ло|ли|ал|ил|ел|ял|ет|ют|ит|ат|ят|ть|ться|ться|ся|ує|ють|ить|ать|ує|ав|ив)$"
)
_CYR_ADJECTIVE = re.compile(
    r"(?:ая|ое|ий|ый|ой|ська|ське|ський|ського|ської|ского|ской|ных|них|на)$"
)
_CYR_STOP = frozenset(
    "в у на по з із зі с со о об от від для до и і та й а но але что що как як это це".split()
)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _latin_phrases(text: str) -> Iterator[Span]:
    # A phrase is kept only when one of its words is a keyword: no keyword, no phrase.
    strings = _LATIN_WORD.findall(text)
    if LATIN_KEYWORDS.isdisjoint(map(str.lower, strings)):
        return
    words = list(_LATIN_WORD.finditer(text))
    capitals = [word[:1].isupper() for word in strings]
    after = 0  # the first word not yet read into a phrase
    # Phrases start at capitalised words only: visit those, skipping the words between.
    for index in compress(range(len(words)), capitals):
        if index < after:
            continue
        match = words[index]
        # A run of capitalised words and connectors, on one logical line of prose.
        run = [match]
        j = index + 1
        while j < len(words):
            gap = text[run[-1].end() : words[j].start()]
            if gap.strip(" \u00a0\t\n\r'\u2019") or gap.count("\n") > 1:
                break
            word = strings[j]
            lowered = word.lower()
            if lowered in ("the", "la", "le", "les", "l") and run[-1].group().lower() in (
                "and",
                "et",
            ):
                run.pop()  # "Tunisia and the Gulf …": two names, not one
                break
            if capitals[j] or lowered in _CONNECTORS:
                run.append(words[j])
                j += 1
                continue
            break
        while run and run[-1].group().lower() in _CONNECTORS:
            run.pop()
        while run and run[0].group().lower() in _ARTICLES | _CONNECTORS:
            run.pop(0)
        # French style: a capitalised keyword then lower-case words joined by connectors
        # ("Plateforme tripolitaine de cohésion sociale").
        if len(run) == 1 and run[0].group().lower() in _FRENCH_HEADS:
            run, j = _french_tail(text, words, words.index(run[0]))
            while run and run[-1].group().lower() in _CONNECTORS:
                run.pop()
            if not any(w.group().lower() in _CONNECTORS for w in run):
                run = run[:1]  # "Réseau des femmes …" yes, "Trust grows where" no
        lowered = [w.group().lower().replace("\u2019", "'") for w in run]
        if (
            len(run) >= 2
            and any(w in LATIN_KEYWORDS for w in lowered)
            and any(w in _HEAD_KEYWORDS or w.endswith("s") for w in lowered)
            and not _is_public(lowered)
        ):
            yield run[0].start(), run[-1].end(), "organisation"
        after = max(j, index + 1)


def _french_tail(text: str, words: list[re.Match[str]], index: int) -> tuple[list, int]:
    run = [words[index]]
    j = index + 1
    after_connector = True  # the word right after the keyword may be an adjective
    taken_since_connector = 0
    while j < len(words):
        gap = text[run[-1].end() : words[j].start()]
        if gap.strip(" \u00a0'\u2019"):
            break
        lowered = words[j].group().lower()
        if lowered in _CONNECTORS:
            after_connector = True
            taken_since_connector = 0
        elif after_connector and taken_since_connector < 2 and len(lowered) > 2:
            taken_since_connector += 1
        else:
            break
        run.append(words[j])
        j += 1
    return run, j


_REGNAL = re.compile(r"^(?:i{1,3}|iv|v|vi{1,3}|ix|x{1,2}i{0,3})$")


def _is_public(lowered: list[str]) -> bool:
    words = [w.strip("'") for w in lowered]
    if any(w in _PUBLIC_ALONE for w in words):
        return True
    if any(_REGNAL.match(w) for w in words[1:]):
        return True  # named after a king ("Mohammed VI Foundation")
    return any(a in words and b in words for a, b in _PUBLIC_PAIRS)


def _arabic_phrases(text: str) -> Iterator[Span]:
    tokens = list(_ARABIC_TOKEN.finditer(text))
    for index, token in enumerate(tokens):
        word = token.group()
        core = word[1:] if word[:1] in "وبل" and word[1:] in ARABIC_KEYWORDS else word
        if core not in ARABIC_KEYWORDS:
            continue
        start = token.start() + (len(word) - len(core))
        end = token.end()
        taken = 0
        after_connector = True
        j = index + 1
        while j < len(tokens) and taken < 7:
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            if gap.strip(" \u00a0\u200f"):
                break  # punctuation, digits or quotes end the name
            nxt = tokens[j].group()
            if nxt in ARABIC_CONNECTORS:
                after_connector = True
            elif nxt.startswith(("ال", "لل", "وال", "بال")) or after_connector:
                after_connector = False
            else:
                break
            end = tokens[j].end()
            taken += 1
            j += 1
        phrase = text[start:end]
        if taken >= 1 and not any(marker in phrase for marker in ARABIC_PUBLIC):
            yield start, end, "organisation"


def _cyrillic_phrases(text: str) -> Iterator[Span]:
    words = list(_CYR_WORD.finditer(text))
    for index, match in enumerate(words):
        lowered = match.group().lower()
        if not lowered.startswith(CYRILLIC_STEMS):
            continue
        start, end = match.start(), match.end()
        # Adjectives before the keyword ("Гродненская инициатива", "Херсонського хабу").
        k = index - 1
        while k >= 0 and index - k <= 2:
            prev = words[k]
            if text[prev.end() : words[k + 1].start()].strip():
                break
            if not re.search(
                r"(?:ая|ое|ий|ый|ой|ська|ське|ський|ського|ської|ского|ской|ных|них|на)$",
                prev.group().lower(),
            ):
                break
            start = prev.start()
            k -= 1
        taken = 0
        j = index + 1
        while j < len(words) and taken < 4:
            gap = text[words[j - 1].end() : words[j].start()]
            if gap.strip():
                break
            word = words[j].group()
            if (
                word.lower() in _CYR_STOP
                or _CYR_VERB.match(word.lower())
                or (_is_capitalised(word) and taken == 0 and False)
            ):
                break
            end = words[j].end()
            taken += 1
            j += 1
        phrase = text[start:end].lower()
        if (start < match.start() or taken >= 1) and not any(
            re.search(rf"(?<![\w]){re.escape(m)}", phrase) for m in CYRILLIC_PUBLIC
        ):
            yield start, end, "organisation"


def find_organisations(text: str) -> Iterator[Span]:
    """Proper-noun phrases that name a civil-society body."""
    yield from _latin_phrases(text)
    yield from _arabic_phrases(text)
    yield from _cyrillic_phrases(text)


_QUOTED = re.compile(r"[«\"“]\s?([^«»\"“”\n]{3,60}?)\s?[»\"”]")
_GROUP_BEFORE = re.compile(
    r"(?:collectif|collective|group|groupe|association|network|réseau|initiative|campaign|"
    r"campagne|movement|mouvement|جمعية|مجموعة|حملة|رابطة|شبكة|مبادرة|группа|група|"
    r"инициатива|ініціатива|движение|рух|объединение|об'єднання)\s*$",
    re.IGNORECASE,
)


def find_quoted_names(text: str) -> Iterator[Span]:
    """A quoted name right after a word for a group: le collectif « Abri digne »."""
    for match in _QUOTED.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        inner = match.group(1)
        if _GROUP_BEFORE.search(before) or inner.split()[0] in ARABIC_KEYWORDS:
            yield match.start(1), match.end(1), "organisation"
