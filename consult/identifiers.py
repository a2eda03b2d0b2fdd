"""Finding identifiers in free text, for moderators to redact and digests to strip.

Detects what commonly identifies a person or an organisation: email
addresses, phone numbers, URLs, names after a title ("Dr Leila Haddad"), and
any name from a list of known identifiers (registered organisations, users'
names and emails). Moderators confirm each finding; digests meant to leave
the EU institutions redact them all as ``[redacted]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

REDACTED = "[redacted]"

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# Scheme URLs, www. hosts and bare domains with a path or a common TLD.
URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"')\]]+"
    r"|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:com|org|net|info|io|eu|ngo|tn|ua|lb|jo|ma"
    r"|dz|eg|il|ly|ps|sy|am|az|by|ge|md)(?:/[^\s<>\"')\]]*)?\b",
    re.IGNORECASE,
)
# International or local phone numbers: at least 7 digits with separators.
PHONE_RE = re.compile(r"(?<![\w/])(?:\+|00)?\d[\d\s().\-]{5,}\d(?![\w/])")
TITLE_NAME_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sheikh|Imam|Father|Judge|Colonel|Col|General|Gen"
    r"|Captain|Capt|Minister|Mayor|Sister|Brother|Madame|Monsieur|Mme|M\.)\.?\s+"
    r"(?:[A-Z\u00c0-\u024f\u0400-\u04ff][\w'\u2019\-]+)(?:\s+[A-Z\u00c0-\u024f\u0400-\u04ff][\w'\u2019\-]+){0,2}"
)
NAME_INTRO_RE = re.compile(
    r"\b(?:named|called|activist|journalist|lawyer|officer|commander)\s+"
    r"([A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+){1,2})"
)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str  # email, phone, url, person, organisation, known
    text: str


def _phone_digits(candidate: str) -> int:
    return sum(ch.isdigit() for ch in candidate)


def find_identifiers(text: str, known: Iterable[str] = ()) -> list[Finding]:
    """Every identifier-looking span in ``text``, without overlaps, in order."""
    if not text:
        return []
    found: list[Finding] = []
    for match in EMAIL_RE.finditer(text):
        found.append(Finding(match.start(), match.end(), "email", match.group()))
    for match in URL_RE.finditer(text):
        found.append(Finding(match.start(), match.end(), "url", match.group()))
    for match in PHONE_RE.finditer(text):
        candidate = match.group()
        digits = _phone_digits(candidate)
        # Years, ranges and counts ("2015-2017", "1 000 000") are not phone numbers.
        if digits < 7 or re.fullmatch(r"\d{4}\s*[-\u2013]\s*\d{4}", candidate.strip()):
            continue
        found.append(Finding(match.start(), match.end(), "phone", candidate.strip()))
    for match in TITLE_NAME_RE.finditer(text):
        found.append(Finding(match.start(), match.end(), "person", match.group()))
    for match in NAME_INTRO_RE.finditer(text):
        found.append(Finding(match.start(1), match.end(1), "person", match.group(1)))
    for name in sorted(
        {k.strip() for k in known if k and len(k.strip()) >= 3}, key=len, reverse=True
    ):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        for match in pattern.finditer(text):
            found.append(Finding(match.start(), match.end(), "known", match.group()))
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    # Longest first at each position, then drop anything inside an earlier span.
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    result: list[Finding] = []
    for finding in found:
        if result and finding.start < result[-1].end:
            if finding.end > result[-1].end and finding.kind == result[-1].kind:
                last = result[-1]
                result[-1] = Finding(
                    last.start,
                    finding.end,
                    last.kind,
                    last.text + finding.text[last.end - finding.start :],
                )
            continue
        result.append(finding)
    return result


def redact(text: str, known: Iterable[str] = (), replacement: str = REDACTED) -> str:
    """``text`` with every identifier replaced by ``replacement``."""
    if not text:
        return text
    findings = find_identifiers(text, known)
    if not findings:
        return text
    parts: list[str] = []
    cursor = 0
    for finding in findings:
        parts.append(text[cursor : finding.start])
        parts.append(replacement)
        cursor = finding.end
    parts.append(text[cursor:])
    return "".join(parts)


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


def known_identifiers() -> list[str]:
    """Names and emails of every registered organisation and user (from the database)."""
    from sqlalchemy import select

    from consult.auth.models import User
    from consult.extensions import db
    from consult.organisations.models import Organisation

    values: list[str] = []
    for name, email in db.session.execute(select(Organisation.name, Organisation.contact_email)):
        values.extend([name, email])
    for email, full_name in db.session.execute(select(User.email, User.full_name)):
        values.append(email)
        if full_name and len(full_name.split()) >= 2:
            values.append(full_name)
    return [v for v in values if v]
