"""Five interface languages: catalogues, locale choice, right-to-left, labels, formatting."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from consult.auth.models import User
from consult.extensions import db
from consult.i18n import LANGUAGE_NAMES, LOCALE_COOKIE, format_when
from consult.inputs.states import Status
from tests import factories
from tests.digest.conftest import build_digest_data

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "consult" / "translations"
LOCALES = ("fr", "ar", "ru", "uk")
#: The keywords `make messages` extracts (see the Makefile).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _extracted() -> dict[str | tuple[str, str], str]:
    """Every message Babel finds in the code and the templates, with where it is."""
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    found: dict[str | tuple[str, str], str] = {}
    for folder in ("consult", "templates"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS
        ):
            if isinstance(message, tuple):
                message = tuple(m for m in message if m is not None)
                message = message if len(message) > 1 else message[0]
            if message:
                found.setdefault(message, f"{folder}/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def extracted() -> dict:
    return _extracted()


def _catalogue(locale: str):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


# ---------------------------------------------------------------- catalogues


@pytest.mark.parametrize("locale", LOCALES)
def test_every_extracted_message_is_translated(locale, extracted):
    catalogue = _catalogue(locale)
    missing = []
    for message, where in extracted.items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(key)
        strings = entry.string if entry is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(s.strip() for s in strings):
            missing.append(f"{where}: {key!r}")
    assert not missing, f"{len(missing)} untranslated in {locale} (run make messages):\n" + (
        "\n".join(missing[:40])
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale):
    catalogue = _catalogue(locale)
    wrong = []
    for entry in catalogue:
        if not entry.id or not entry.string:
            continue
        if isinstance(entry.id, tuple):
            wanted = set(PLACEHOLDER.findall(entry.id[1]))
            for form in entry.string:
                # A plural form may leave the number out ("one input", Arabic duals)
                # but never brings in a placeholder the code does not pass.
                if not set(PLACEHOLDER.findall(form)) <= wanted:
                    wrong.append((entry.id[0], form))
        elif set(PLACEHOLDER.findall(entry.id)) != set(PLACEHOLDER.findall(entry.string)):
            wrong.append((entry.id, entry.string))
    assert not wrong, wrong[:10]


def test_arabic_has_six_plural_forms_and_uses_them():
    catalogue = _catalogue("ar")
    assert catalogue.num_plurals == 6
    plurals = [e for e in catalogue if isinstance(e.id, tuple)]
    assert plurals
    for entry in plurals:
        assert len(entry.string) == 6 and all(entry.string), entry.id
    for locale in ("ru", "uk", "fr"):
        assert _catalogue(locale).num_plurals == 3


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_the_po_file(locale):
    compiled = CATALOGUES / locale / "LC_MESSAGES" / "messages.mo"
    assert compiled.exists(), "run `make translations` (make install/run/test do it)"
    with open(compiled, "rb") as handle:
        built = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    source = {_key(m.id): _key(m.string) for m in _catalogue(locale) if m.id}
    assert built == source, "the .mo is stale: run `make translations`"


# ---------------------------------------------------------------- choosing the language


def _html_attrs(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert match, page[:200]
    return match.group(1), match.group(2)


def test_accept_language_sets_the_default(client):
    page = client.get("/", headers={"Accept-Language": "ar,en;q=0.5"}).get_data(as_text=True)
    assert _html_attrs(page) == ("ar", "rtl")
    assert "مرحبًا" in page  # "Welcome"
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _html_attrs(english) == ("en", "ltr")
    assert "Welcome" in english


def test_unknown_accept_language_falls_back_to_english(client):
    page = client.get("/", headers={"Accept-Language": "de-CH,de"}).get_data(as_text=True)
    assert _html_attrs(page) == ("en", "ltr")


def test_switcher_is_a_plain_form_on_every_page(client):
    for path in ("/", "/auth/login", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        form = re.search(
            r'<form class="language-switcher" method="post" action="/language"[^>]*>.*?</form>',
            page,
            re.S,
        )
        assert form, path
        for code, name in (
            ("fr", "Français"),
            ("ar", "العربية"),
            ("ru", "Русский"),
            ("uk", "Українська"),
        ):
            assert f'name="lang" value="{code}" lang="{code}"' in form.group(0)
            assert name in form.group(0)
        assert "<script" not in page


def test_switcher_sets_a_cookie_before_sign_in(client):
    response = client.post("/language", data={"lang": "ru", "next": "/auth/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    assert f"{LOCALE_COOKIE}=ru" in response.headers["Set-Cookie"]
    # The cookie wins over the browser's Accept-Language.
    page = client.get("/auth/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _html_attrs(page) == ("ru", "ltr")
    assert "Войти" in page  # "Sign in"


def test_switcher_refuses_unknown_languages_and_foreign_redirects(client):
    assert client.post("/language", data={"lang": "xx"}).status_code == 400
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_signed_in_choice_is_stored_on_the_account(app, client, cso_user, login):
    login(client, cso_user)
    client.post("/language", data={"lang": "uk", "next": "/my_inputs"})
    db.session.expire_all()
    assert db.session.get(User, cso_user.id).locale == "uk"
    # Another browser, which prefers French and has no cookie, still gets Ukrainian.
    other = app.test_client()
    login(other, cso_user)
    page = other.get("/my_inputs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _html_attrs(page) == ("uk", "ltr")
    assert "Наші матеріали" in page  # "Our inputs"


def test_sign_in_keeps_the_language_chosen_before(client, organisation):
    user = factories.make_user("lang@example.org", "cso", organisation=organisation)
    assert user.locale is None
    client.post("/language", data={"lang": "fr"})
    client.post("/auth/login", data={"email": "lang@example.org", "password": factories.PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "fr"


# ---------------------------------------------------------------- right to left


def test_arabic_input_in_an_english_interface_keeps_its_direction(
    client, consultation, cso_user, login
):
    item = factories.make_input(
        consultation,
        cso_user,
        title="الشرطة المجتمعية في الجنوب",
        body="نادرًا ما تلتقي الشرطة بالمجتمعات المحلية.",
        recommendations=(("eu", "تمويل منتديات مجتمعية مشتركة."),),
    )
    login(client, cso_user)
    page = client.get(f"/inputs/{item.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert _html_attrs(page) == ("en", "ltr")
    assert '<h1 dir="auto">الشرطة المجتمعية في الجنوب</h1>' in page
    assert '<div class="input-body" dir="auto"><p>نادرًا' in page
    assert '<span dir="auto">تمويل منتديات مجتمعية مشتركة.</span>' in page
    listing = client.get("/my_inputs").get_data(as_text=True)
    assert 'dir="auto">الشرطة المجتمعية في الجنوب</a>' in listing


def test_stylesheet_mirrors_with_logical_properties():
    css = (ROOT / "static" / "consult.css").read_text()
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right):", css
    )
    assert physical == []
    assert "text-align: left" not in css and "float: left" not in css


# ---------------------------------------------------------------- every page of the CSO journey


class _Text(HTMLParser):
    """The visible text nodes of a page (and the labels read out by screen readers)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "alt") and value:
                self.chunks.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def _sentences(page: str) -> set[str]:
    parser = _Text()
    parser.feed(page)
    return {c for c in parser.chunks if len(re.findall(r"[A-Za-z]{3,}", c)) >= 2}


@pytest.fixture
def journey(client, consultation, cso_user, login):
    """The pages a CSO member goes through, with what they wrote (left as written)."""
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT, title="Draft one")
    returned = factories.make_input(
        consultation, cso_user, status=Status.RETURNED, title="Returned one", themes=("youth",)
    )
    login(client, cso_user)
    pages = [
        "/",
        "/consultations",
        f"/consultations/{consultation.id}",
        f"/consultations/{consultation.id}/inputs/new",
        f"/consultations/{consultation.id}/inputs/new?priority=ssr&main_country=TN",
        "/my_inputs",
        f"/inputs/{draft.id}",
        f"/inputs/{draft.id}/edit",
        f"/inputs/{returned.id}",
        f"/inputs/{returned.id}/revise",
        "/auth/account",
        "/auth/password",
        "/account/tokens",
    ]
    written = {
        consultation.title,
        consultation.description,
        *(q.text for q in consultation.questions),
        cso_user.organisation.name,
        *(item.title for item in (draft, returned)),
        *(item.body for item in (draft, returned)),
        *(r.text for item in (draft, returned) for r in item.recommendations),
    }
    return client, pages, written


def _written_by_users(chunk: str, written: set[str]) -> bool:
    """Text people wrote, identifiers (slugs, ids) and the switcher's names stay as they are."""
    return (
        any(text and text in chunk for text in written)
        or "@" in chunk
        or " " not in chunk
        or re.fullmatch(r"[a-z_]+: \S+", chunk) is not None  # an audit event's raw detail
        or chunk in LANGUAGE_NAMES.values()
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_cso_journey_has_no_english_left(journey, locale):
    client, pages, written = journey
    for path in pages:
        english = client.get(path, headers={"Accept-Language": "en"})
        translated = client.get(path, headers={"Accept-Language": locale})
        assert english.status_code == translated.status_code, path
        if english.status_code in (301, 302, 303):
            continue
        assert translated.status_code == 200, path
        page = translated.get_data(as_text=True)
        assert _html_attrs(page) == (locale, "rtl" if locale == "ar" else "ltr"), path
        left = {
            chunk
            for chunk in _sentences(english.get_data(as_text=True)) & _sentences(page)
            if not _written_by_users(chunk, written)
        }
        assert not left, f"{path} in {locale} still reads: {sorted(left)[:10]}"


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_staff_and_admin_pages_have_no_english_left(
    client, login, consultation, cso_user, moderator_user, hq_user, admin_user, locale
):
    submitted = factories.make_input(consultation, cso_user, title="Submitted one")
    forwarded = factories.make_input(
        consultation, cso_user, title="Forwarded one", status=Status.FORWARDED
    )
    written = {
        consultation.title,
        consultation.description,
        cso_user.organisation.name,
        *(item.title for item in (submitted, forwarded)),
        *(item.body for item in (submitted, forwarded)),
        *(q.text for q in consultation.questions),
        *(r.text for r in submitted.recommendations),
    }
    pages = {
        None: ["/", "/auth/login", "/auth/forgot"],
        moderator_user: ["/review/queue", f"/review/inputs/{submitted.id}"],
        hq_user: [
            "/review/queue",
            "/review/forwarded",
            f"/review/inputs/{forwarded.id}",
            "/digest/",
            "/digest/?audience=internal",
            "/digest/download/html?audience=internal",
        ],
        admin_user: [
            "/admin/",
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{cso_user.id}",
            "/admin/organisations",
            "/admin/organisations/new",
            "/admin/delegations",
            "/admin/delegations/new",
            "/admin/consultations",
            "/admin/consultations/new",
            "/admin/reference",
            "/admin/reference/priorities",
            "/admin/audit",
            f"/review/inputs/{forwarded.id}/original",
        ],
    }
    for user, paths in pages.items():
        if user is not None:
            login(client, user)
        for path in paths:
            texts = []
            for asked in ("en", locale):
                response = client.get(path, headers={"Accept-Language": asked})
                assert response.status_code == 200, path
                texts.append(response.get_data(as_text=True))  # streamed: read it now
            left = {
                chunk
                for chunk in _sentences(texts[0]) & _sentences(texts[1])
                if not _written_by_users(chunk, written)
            }
            assert not left, f"{path} in {locale} still reads: {sorted(left)[:10]}"


# ---------------------------------------------------------------- labels and formatting


@pytest.mark.parametrize(
    ("locale", "priority", "status", "reason", "country"),
    [
        ("en", "Fighting cybercrime", "Forwarded to HQ", "Other reason", "Jordan"),
        ("fr", "Lutte contre la cybercriminalité", "Transmise au siège", "Autre motif", "Jordanie"),
        ("ar", "مكافحة الجريمة الإلكترونية", "أُحيلت إلى المقر الرئيسي", "سبب آخر", "الأردن"),
        (
            "ru",
            "Борьба с киберпреступностью",
            "Передан в штаб-квартиру",
            "Другая причина",
            "Иордания",
        ),
        (
            "uk",
            "Боротьба з кіберзлочинністю",
            "Передано до штаб-квартири",
            "Інша причина",
            "Йорданія",
        ),
    ],
)
def test_api_reference_labels_follow_accept_language(
    app, client, cso_user, api_client, locale, priority, status, reason, country
):
    cso_user.locale = "ru"  # the account's choice does not override what a script asks for
    db.session.commit()
    api = api_client(app, cso_user)
    data = api.get("/reference", headers={"Accept-Language": locale}).get_json()
    by_slug = {p["slug"]: p["name"] for p in data["priorities"]}
    assert by_slug["cybercrime"] == priority
    assert {s["slug"]: s["name"] for s in data["statuses"]}["forwarded"] == status
    assert {r["slug"]: r["name"] for r in data["decline_reasons"]}["other"] == reason
    assert {c["code"]: c["name"] for c in data["countries"]}["JO"] == country
    assert {t["slug"] for t in data["themes"]} >= {"youth", "gender"}


def test_renamed_reference_entry_keeps_the_admins_words(app, client):
    from consult.reference.models import Priority

    entry = db.session.get(Priority, "cbrn")
    entry.name = "CBRN and explosives"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert db.session.get(Priority, "cbrn").name == "CBRN and explosives"
        assert db.session.get(Priority, "ssr").name.startswith("Réforme du secteur")


def test_dates_and_plurals_follow_the_locale(app):
    from datetime import datetime

    moment = datetime(2026, 3, 5, 9, 30)
    with app.test_request_context():
        with force_locale("en"):
            assert format_when(moment) == "05 Mar 2026 09:30 UTC"
        with force_locale("fr"):
            assert format_when(moment, with_time=False) == "05 mars 2026"
        with force_locale("ru"):
            assert "марта" in format_when(moment, with_time=False) or "мар" in format_when(moment)
        with force_locale("ar"):
            assert "مارس" in format_when(moment)
            forms = [ngettext("%(num)d input", "%(num)d inputs", n) for n in (0, 1, 2, 5, 11, 100)]
            assert forms == [
                "0 مساهمة",
                "مساهمة واحدة",
                "مساهمتان",
                "5 مساهمات",
                "11 مساهمة",
                "100 مساهمة",
            ]
        with force_locale("uk"):
            assert [ngettext("%(num)d country", "%(num)d countries", n) for n in (1, 3, 5)] == [
                "1 країна",
                "3 країни",
                "5 країн",
            ]


# ---------------------------------------------------------------- inputs keep their language


def test_moderator_corrects_the_language_and_the_queue_filters_by_it(
    client, login, consultation, cso_user, moderator_user
):
    french = factories.make_input(consultation, cso_user, title="Forums de police")
    factories.make_input(consultation, cso_user, title="Police forums")
    login(client, moderator_user)
    page = client.get(f"/review/inputs/{french.id}").get_data(as_text=True)
    assert 'name="language"' in page
    data = {
        "version": french.version,
        "priority": french.priority_slug,
        "input_type": french.type_slug,
        "main_country": french.country_codes[0],
        "language": "fr",
        "reviewed_title": french.effective_title,
        "reviewed_body": french.effective_body,
        **{f"rec-{rec.id}": rec.effective_text for rec in french.recommendations},
    }
    response = client.post(f"/review/inputs/{french.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(french), french.id).language == "fr"
    page = client.get(f"/review/inputs/{french.id}").get_data(as_text=True)
    assert "changed the language from English to French" in page

    def titles(query: str) -> list[str]:
        html = client.get("/review/queue?" + query).get_data(as_text=True)
        return sorted(re.findall(r'<a href="/review/inputs/[0-9a-f-]+"[^>]*>([^<]+)</a>', html))

    assert titles("language=fr") == ["Forums de police"]
    assert titles("language=en") == ["Police forums"]
    assert client.get("/review/queue?language=xx").status_code == 404


def test_direction_of_a_text_is_decided_by_its_first_strong_letter():
    from consult.i18n import is_rtl_text

    assert is_rtl_text("الشرطة المجتمعية (EU)")
    assert is_rtl_text("2026: تقرير")
    assert not is_rtl_text("EU Delegation: بعثة")
    assert not is_rtl_text("Украина")
    assert not is_rtl_text("") and not is_rtl_text("123 — !")


def test_digest_command_writes_the_report_in_the_language_asked(app, runner):
    build_digest_data()
    args = ["digest", "--format", "html", "--out", "-", "--audience", "internal"]
    arabic = runner.invoke(args=[*args, "--lang", "ar"])
    assert arabic.exit_code == 0, arabic.output
    assert "الخلفية" in arabic.output and "ملاحظة حول المنهجية" in arabic.output
    french = runner.invoke(args=[*args, "--lang", "fr"])
    assert "Note méthodologique" in french.output
    wrong = runner.invoke(args=[*args, "--lang", "de"])
    assert wrong.exit_code != 0 and "valid values: en, fr, ar, ru, uk" in wrong.output


def test_docx_lays_arabic_paragraphs_out_right_to_left(app, hq_user):
    import io

    from docx import Document
    from docx.oxml.ns import qn

    from consult.digest.services import parse_filters, render_digest

    data = build_digest_data()
    organisation = factories.make_organisation("جمعية الحوار", ["TN"])
    author = factories.make_user("arabic@example.org", "cso", organisation=organisation)
    factories.make_input(
        data.consultation,
        author,
        status=Status.FORWARDED,
        title="منتديات الشرطة والمجتمع",
        body="خفّضت المنتديات الشهرية التوتر بين الشباب والشرطة.",
        recommendations=(("eu", "تمويل المنتديات ثلاث سنوات."),),
    )
    filters = parse_filters({"audience": "internal"})

    def paragraphs(locale: str) -> list:
        with app.test_request_context(), force_locale(locale):
            content = b"".join(render_digest("docx", filters, hq_user).chunks)
        document = Document(io.BytesIO(content))
        return list(document.paragraphs)

    def rtl(paragraph) -> bool:
        properties = paragraph._p.pPr
        return properties is not None and properties.find(qn("w:bidi")) is not None

    english = paragraphs("en")
    arabic_finding = next(p for p in english if "خفّضت المنتديات" in p.text)
    assert rtl(arabic_finding) and all(run.font.rtl for run in arabic_finding.runs)
    assert not rtl(next(p for p in english if p.text == "Background"))
    in_arabic = paragraphs("ar")
    assert rtl(next(p for p in in_arabic if p.text == "الخلفية"))  # "Background"
    assert "ملاحظة حول المنهجية" in [p.text for p in in_arabic]
