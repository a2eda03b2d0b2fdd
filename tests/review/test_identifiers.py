"""Identifier detection used by moderators and by digests."""

from __future__ import annotations

from consult.identifiers import find_identifiers, redact, redact_spans


def test_finds_email_phone_url_titled_name_and_known_names():
    text = (
        "Contact Dr Leila Haddad at leila@ngo.example.org or +216 71 234 567, "
        "see https://ngo.example.org/report. The Tunis Civic Forum met in 2015-2017."
    )
    kinds = {f.kind: f.text for f in find_identifiers(text, ["Tunis Civic Forum"])}
    assert kinds["email"] == "leila@ngo.example.org"
    assert kinds["phone"].startswith("+216")
    assert kinds["url"].startswith("https://ngo.example.org")
    assert "Leila Haddad" in kinds["person"]
    assert kinds["known"] == "Tunis Civic Forum"


def test_years_and_ranges_are_not_phone_numbers():
    assert [
        f for f in find_identifiers("Between 2015-2017 and in 2020.") if f.kind == "phone"
    ] == []


def test_redact_replaces_every_identifier():
    text = "Write to a@b.example.org, or ask the tunis civic forum."
    out = redact(text, ["Tunis Civic Forum"])
    assert "a@b.example.org" not in out and "tunis civic forum" not in out.lower()
    assert out.count("[redacted]") == 2


def test_redact_spans_keeps_the_rest():
    assert redact_spans("abc secret def", [(4, 10)]) == "abc [redacted] def"
