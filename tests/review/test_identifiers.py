"""Identifier detection used by moderators and by digests."""

from __future__ import annotations

import pytest

from consult.identifiers import (
    Detector,
    KnownIdentifiers,
    detector_for,
    find_identifiers,
    redact,
    redact_spans,
)


def kinds_of(text: str, known=(), regions=()) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in find_identifiers(text, known, regions):
        found.setdefault(finding.kind, []).append(finding.text)
    return found


def test_finds_email_phone_url_titled_name_and_known_names():
    text = (
        "Contact Dr Leila Haddad at leila@ngo.example.org or +216 71 234 567, "
        "see https://ngo.example.org/report. The Tunis Civic Forum met in 2015-2017."
    )
    kinds = kinds_of(text, ["Tunis Civic Forum"])
    assert kinds["email"] == ["leila@ngo.example.org"]
    assert kinds["phone"][0].startswith("+216")
    assert kinds["url"][0].startswith("https://ngo.example.org")
    assert "Leila Haddad" in kinds["person"][0]
    assert kinds["registered"] == ["Tunis Civic Forum"]
    assert "2015-2017" in redact(text, ["Tunis Civic Forum"])


def test_years_ranges_dates_and_counts_are_not_phone_numbers():
    text = "Between 2015-2017, on 15.09.2024 and in 2020, 1 200 000 people and 40 000 more."
    assert "phone" not in kinds_of(text)
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, number",
    [
        ("call 00 995 431 555 274 today", "00 995 431 555 274"),
        ("WhatsApp +961 3 555 208 now", "+961 3 555 208"),
        ("للتواصل: ٠٧٩٥٥٥٤٢١٨.", "٠٧٩٥٥٥٤٢١٨"),
        ("الواتساب +٢١٨ ٩٢ ٥٥٥ ٣٠٤٦.", "+٢١٨ ٩٢ ٥٥٥ ٣٠٤٦"),
        ("reach her at (0552) 55-50-17 or", "(0552) 55-50-17"),
        ("the only safe line is 091-555-3817.", "091-555-3817"),
    ],
)
def test_phones_in_local_international_00_and_arabic_indic_forms(text, number):
    assert kinds_of(text)["phone"] == [number]


def test_the_input_countries_are_tried_first_for_local_numbers():
    # A French mobile number is not possible in any partner country's plan.
    assert "phone" in kinds_of("appeler le 06 12 34 56 78 demain", regions=["FR"])


def test_resolution_numbers_with_a_year_are_not_phones():
    text = "la résolution 2240 (2015) du Conseil de sécurité"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, email",
    [
        ("write to batc [at] batc-md [dot] org please", "batc [at] batc-md [dot] org"),
        ("écrire à programme(at)atts-tunisie.org.", "programme(at)atts-tunisie.org"),
        ("Requests go to DATA@GCOI-AM.ORG.", "DATA@GCOI-AM.ORG"),
    ],
)
def test_plain_and_obfuscated_emails(text, email):
    assert kinds_of(text)["email"] == [email]


def test_handles_and_social_profiles():
    text = "Follow @ADRW_safety, t.me/grodno_updates and facebook.com/kcsh.evacuation."
    assert kinds_of(text)["handle"] == [
        "@ADRW_safety",
        "t.me/grodno_updates",
        "facebook.com/kcsh.evacuation",
    ]


@pytest.mark.parametrize(
    "text, address",
    [
        ("His office at 14 Sharia Jamal Abdel Nasser, Sabha.", "14 Sharia Jamal Abdel Nasser"),
        ("Архив: ул. Советская, д. 47, кв. 5, Гомель.", "ул. Советская, д. 47, кв. 5"),
        ("مقرّنا في شارع الجمهورية، عمارة ٩، سبها", "شارع الجمهورية، عمارة ٩"),
    ],
)
def test_street_addresses(text, address):
    assert address not in redact(text)


@pytest.mark.parametrize(
    "text, number",
    [
        ("the passport of a woman (No. C05551234) was kept", "C05551234"),
        ("sa carte d'identité nationale n° 05551872", "05551872"),
        ("Його РНОКПП 3055512748 уже", "3055512748"),
        ("state registration no. 264.110.05551", "264.110.05551"),
    ],
)
def test_id_and_passport_numbers(text, number):
    assert number not in redact(text)


def test_law_numbers_survive():
    text = "under Law No. 175 of 2018, Organic Law 2015-26 and loi organique n° 2015-26"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "the tunisian forum for\ncommunity safety said",
        "the Tunisian  Forum for Community-Safety said",
        "the TUNISIAN FORUM FOR COMMUNITY SAFETY said",
        "the Tunisian\u00a0Forum for Community Safety said",
        "the Tunisian Forum, for Community Safety, said",
    ],
)
def test_registered_names_match_across_case_whitespace_hyphens_and_punctuation(text):
    found = find_identifiers(text, ["Tunisian Forum for Community Safety"])
    assert [f.kind for f in found] == ["registered"]
    assert redact(text, ["Tunisian Forum for Community Safety"]).startswith("the [redacted]")


def test_registered_names_match_without_diacritics_and_across_scripts():
    known = ["Bălți Anti-Trafficking Coalition", "Ivan Cara", "ГИГК"]
    text = "Balti Anti-Trafficking Coalition and Иван Кара of GIGK met ГИГК."
    assert redact(text, known) == "[redacted] and [redacted] of [redacted] met [redacted]."


def test_acronyms_match_only_as_written():
    known = ["ATTS", "Association Tunisienne pour la Transparence Sécuritaire"]
    assert redact("L'ATTS propose un programme.", known) == "L'[redacted] propose un programme."
    assert redact("the atts of the year", known) == "the atts of the year"


def test_lowercased_acronyms_still_match_where_written_in_capitals():
    # A caller that lower-cases its known names still finds the acronym as written.
    assert redact("KYSO and kyso and ГИГК", ["kyso", "гигк"]) == (
        "[redacted] and kyso and [redacted]"
    )


@pytest.mark.parametrize(
    "text, name",
    [
        ("according to Nino Beridze, the board met", "Nino Beridze"),
        ("Amira Haddad-Trabelsi runs the shelter", "Amira Haddad-Trabelsi"),
        ("In Mykolaiv, O. Tkachuk coordinated the visits", "O. Tkachuk"),
        ("a community leader known as Abu Khaled negotiates", "Abu Khaled"),
        ("Контактна особа — Оксана Литвинчук, тел.", "Оксана Литвинчук"),
        ("За словами судді Андрія Ковальчука, справу", "Андрія Ковальчука"),
        ("قال سامر الخوالدة، منسق المجلس", "سامر الخوالدة"),
        ("أطلقت الدكتورة منى عبد الحميد حملة", "منى عبد الحميد"),
    ],
)
def test_people_without_titles_in_latin_cyrillic_and_arabic(text, name):
    assert name in kinds_of(text).get("person", []), kinds_of(text)


@pytest.mark.parametrize(
    "decoy",
    [
        "Rafic Hariri International Airport",
        "Geneva International Discussions",
        "Ministry of Internal Affairs",
        "National Council for Human Rights",
        "Conseil national des droits de l'Homme",
        "UNSCR 1325",
        "EUBAM Moldova-Ukraine",
        "Миссия ЕС по наблюдению в Грузии",
        "قرار مجلس الأمن ٢٣٣٤",
        "منظمة حظر الأسلحة الكيميائية",
        "Zaporizhzhia Nuclear Power Plant",
    ],
)
def test_public_institutions_places_and_resolutions_survive(decoy):
    text = f"We wrote to the {decoy} in 2023."
    assert decoy in redact(text)


def test_organisations_nobody_registered_are_found_by_shape():
    text = (
        "A smaller group, Shefa-Amr Digital Mothers, helped. Le collectif « Abri digne » "
        "aussi. وثّقت «رابطة عائلات من أجل العدالة» الحالات. "
        "Волинська мережа протидії торгівлі людьми допомогла."
    )
    out = redact(text)
    for name in (
        "Shefa-Amr Digital Mothers",
        "Abri digne",
        "رابطة عائلات من أجل العدالة",
        "Волинська мережа протидії торгівлі людьми",
    ):
        assert name not in out


def test_one_detector_is_compiled_per_known_list():
    known = KnownIdentifiers(["Kasserine Youth and Security Observatory", "KYSO"])
    assert detector_for(known) is detector_for(known)
    assert detector_for(["A Long Registered Name"]) is detector_for(["A Long Registered Name"])
    assert isinstance(known.detector, Detector)
    assert redact("KYSO and kasserine youth and-security observatory", known) == (
        "[redacted] and [redacted]"
    )


def test_redact_replaces_every_identifier():
    text = "Write to a@b.example.org, or ask the tunis civic forum."
    out = redact(text, ["Tunis Civic Forum"])
    assert "a@b.example.org" not in out and "tunis civic forum" not in out.lower()
    assert out.count("[redacted]") == 2


def test_redact_spans_keeps_the_rest():
    assert redact_spans("abc secret def", [(4, 10)]) == "abc [redacted] def"
