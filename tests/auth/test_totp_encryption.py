"""Two-factor secrets are encrypted: in the database and in the enrolment cookie."""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator

import pyotp
import pytest
from cryptography.fernet import Fernet, InvalidToken
from flask import Flask
from sqlalchemy import text

from consult import create_app
from consult.auth.models import User
from consult.auth.totp import INTERVAL, current_step
from consult.extensions import db
from tests import factories
from tests.factories import PASSWORD, STAFF_TOTP_SECRET

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw_secret(email: str) -> str | None:
    """The ``users.totp_secret`` column as the database holds it (what a dump shows)."""
    db.session.commit()
    return db.session.execute(
        text("SELECT totp_secret FROM users WHERE email = :email"), {"email": email}
    ).scalar_one()


def _code(secret: str, later: int = 0) -> str:
    return pyotp.TOTP(secret, interval=INTERVAL).generate_otp(current_step() + later)


def _sign_in(client, email: str, code: str):
    """Password, then code; return the answer to the code."""
    first = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert first.headers["Location"].endswith("/auth/two-factor")
    return client.post("/auth/two-factor", data={"code": code})


@pytest.fixture
def keyed(make_app, app) -> Iterator:
    """Build an app with ``TOTP_ENCRYPTION_KEYS`` set, with its context pushed."""
    contexts = []

    def _make(keys: str) -> Flask:
        other = make_app(TOTP_ENCRYPTION_KEYS=keys)
        context = other.app_context()
        context.push()
        contexts.append(context)
        return other

    yield _make
    for context in reversed(contexts):
        db.session.remove()
        context.pop()


def test_column_holds_a_token_that_opens_with_the_configured_key(keyed):
    keyed(OLD_KEY)
    user = factories.make_user("hq.keyed@eeas.example.org", "hq")
    raw = _raw_secret(user.email)
    assert STAFF_TOTP_SECRET not in raw and STAFF_TOTP_SECRET[:16] not in raw
    assert Fernet(OLD_KEY).decrypt(raw.encode()).decode() == STAFF_TOTP_SECRET
    with pytest.raises(InvalidToken):
        Fernet(NEW_KEY).decrypt(raw.encode())
    assert db.session.get(User, user.id).totp_secret == STAFF_TOTP_SECRET


def test_the_totp_key_is_its_own_secret_not_derived_from_the_secret_key(app, hq_user):
    raw = _raw_secret(hq_user.email)
    assert STAFF_TOTP_SECRET not in raw
    key = app.config["TOTP_ENCRYPTION_KEYS"]
    assert Fernet(key).decrypt(raw.encode()).decode() == STAFF_TOTP_SECRET
    # Nothing is derived from SECRET_KEY: a key from HKDF(SECRET_KEY) opens nothing.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"consult totp-secret encryption v1",
    ).derive(app.config["SECRET_KEY"].encode())
    with pytest.raises(InvalidToken):
        Fernet(base64.urlsafe_b64encode(derived)).decrypt(raw.encode())


def test_sign_in_with_a_code_works_with_encrypted_secret(keyed):
    other = keyed(OLD_KEY)
    user = factories.make_user("mod.keyed@eeas.example.org", "moderator", delegation="eud-tn")
    client = other.test_client()
    assert _sign_in(client, user.email, _code(STAFF_TOTP_SECRET)).status_code == 302
    assert client.get("/auth/account").status_code == 200


def test_enrolment_stores_the_new_secret_encrypted(client, app):
    admin = factories.make_user("enrol.admin@consult.example.org", "admin", totp_secret="")
    client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'<p class="totp-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    done = client.post("/auth/two-factor/setup", data={"code": _code(secret)})
    assert "recovery codes" in done.get_data(as_text=True).lower()
    raw = _raw_secret(admin.email)
    assert secret not in raw
    assert Fernet(app.config["TOTP_ENCRYPTION_KEYS"]).decrypt(raw.encode()).decode() == secret


def test_legacy_plain_secret_still_works_and_is_encrypted_at_sign_in(keyed):
    other = keyed(OLD_KEY)
    user = factories.make_user("legacy@eeas.example.org", "hq")
    db.session.execute(  # a row from before encryption
        text("UPDATE users SET totp_secret = :s WHERE email = :e"),
        {"s": STAFF_TOTP_SECRET, "e": user.email},
    )
    db.session.commit()
    client = other.test_client()
    assert _sign_in(client, user.email, _code(STAFF_TOTP_SECRET)).status_code == 302
    assert client.get("/auth/account").status_code == 200
    raw = _raw_secret(user.email)
    assert raw != STAFF_TOTP_SECRET and STAFF_TOTP_SECRET not in raw
    assert Fernet(OLD_KEY).decrypt(raw.encode()).decode() == STAFF_TOTP_SECRET


def test_a_wrong_code_leaves_a_legacy_secret_as_it_was(keyed):
    other = keyed(OLD_KEY)
    user = factories.make_user("legacy2@eeas.example.org", "hq")
    db.session.execute(
        text("UPDATE users SET totp_secret = :s WHERE email = :e"),
        {"s": STAFF_TOTP_SECRET, "e": user.email},
    )
    db.session.commit()
    answer = _sign_in(other.test_client(), user.email, "000000")
    assert "That code is not valid" in answer.get_data(as_text=True)
    assert _raw_secret(user.email) == STAFF_TOTP_SECRET


def _cookie_payload(client) -> bytes:
    """Everything the browser holds of the session: the cookie, decoded as far as it goes."""
    value = client.get_cookie("session").value
    padded = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(padded + "=" * (-len(padded) % 4))
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def test_enrolment_cookie_does_not_reveal_the_secret(client, app):
    admin = factories.make_user("cookie.admin@consult.example.org", "admin", totp_secret="")
    client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'<p class="totp-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    secret = secret.replace(" ", "")
    # The browser holds a random session id and nothing else...
    payload = _cookie_payload(client)
    assert b"consult_enrol_secret" not in payload and secret.encode() not in payload
    # ... and the server-side session holds the candidate, sealed.
    with client.session_transaction() as sess:
        stored = sess["consult_enrol_secret"]
    assert secret not in stored and secret[:16] not in stored
    # and it is the same secret on reload, so an app scanned before still matches
    again = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert secret[:4] + " " + secret[4:8] in again
    done = client.post("/auth/two-factor/setup", data={"code": _code(secret)})
    assert done.status_code == 200
    assert db.session.get(User, admin.id).has_totp


def test_an_enrolment_cookie_with_a_plain_secret_is_not_trusted(client, app):
    admin = factories.make_user("oldcookie@consult.example.org", "admin", totp_secret="")
    client.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    with client.session_transaction() as sess:  # a cookie from before encryption
        sess["consult_enrol_secret"] = STAFF_TOTP_SECRET
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert "JBSW Y3DP" not in page  # a new secret, never one that was readable


def test_rotate_totp_key_re_encrypts_with_the_new_first_key(keyed):
    keyed(OLD_KEY)
    staff = [
        factories.make_user("rot.hq@eeas.example.org", "hq"),
        factories.make_user("rot.admin@consult.example.org", "admin"),
    ]
    legacy = factories.make_user("rot.legacy@eeas.example.org", "hq")
    db.session.execute(
        text("UPDATE users SET totp_secret = :s WHERE email = :e"),
        {"s": STAFF_TOTP_SECRET, "e": legacy.email},
    )
    db.session.commit()

    rotating = keyed(f"{NEW_KEY},{OLD_KEY}")
    result = rotating.test_cli_runner().invoke(args=["rotate-totp-key"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 3 " in result.output
    for email in [u.email for u in staff] + [legacy.email]:
        raw = _raw_secret(email)
        assert Fernet(NEW_KEY).decrypt(raw.encode()).decode() == STAFF_TOTP_SECRET

    # the old key can go: the same codes still verify
    new_only = keyed(NEW_KEY)
    client = new_only.test_client()
    assert _sign_in(client, staff[0].email, _code(STAFF_TOTP_SECRET)).status_code == 302
    assert client.get("/auth/account").status_code == 200


def test_rotate_totp_key_changes_nothing_when_a_key_is_missing(keyed):
    keyed(OLD_KEY)
    user = factories.make_user("rot.missing@eeas.example.org", "hq")
    before = _raw_secret(user.email)
    wrong = keyed(NEW_KEY)  # the old key was dropped too early
    result = wrong.test_cli_runner().invoke(args=["rotate-totp-key"])
    assert result.exit_code == 2
    assert "TOTP_ENCRYPTION_KEYS" in result.output and "Nothing was changed" in result.output
    assert _raw_secret(user.email) == before


def test_signing_in_under_an_old_key_moves_the_secret_to_the_first_key(keyed):
    keyed(OLD_KEY)
    user = factories.make_user("lazy@eeas.example.org", "hq")
    both = keyed(f"{NEW_KEY},{OLD_KEY}")
    assert _sign_in(both.test_client(), user.email, _code(STAFF_TOTP_SECRET)).status_code == 302
    assert Fernet(NEW_KEY).decrypt(_raw_secret(user.email).encode())


def test_a_wrong_key_never_skips_the_second_factor(keyed):
    keyed(OLD_KEY)
    org = factories.make_organisation("Key Org", ["TN"])
    member = factories.make_user("member@keyorg.example.org", "cso", organisation=org)
    member.totp_secret = STAFF_TOTP_SECRET
    db.session.commit()
    wrong = keyed(NEW_KEY)
    client = wrong.test_client()
    first = client.post("/auth/login", data={"email": member.email, "password": PASSWORD})
    assert first.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/auth/account").status_code == 302


def _production(**settings) -> Flask:
    return create_app(
        factories.production_settings(SQLALCHEMY_DATABASE_URI="sqlite://", **settings)
    )


def test_production_refuses_to_start_without_totp_keys(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        _production(TOTP_ENCRYPTION_KEYS="", UPLOAD_DIR=str(tmp_path))
    message = str(exc.value)
    assert "TOTP_ENCRYPTION_KEYS" in message and "\n" not in message


@pytest.mark.parametrize(
    "keys",
    ["not-a-fernet-key", f"{NEW_KEY},short", "x" * 44],
    # Fixed ids: the keys are random, and parallel workers must collect the same tests.
    ids=["not-base64", "good-then-short", "44-characters-not-a-key"],
)
def test_production_refuses_a_malformed_totp_key(monkeypatch, tmp_path, keys):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        _production(TOTP_ENCRYPTION_KEYS=keys, UPLOAD_DIR=str(tmp_path))
    message = str(exc.value)
    assert "TOTP_ENCRYPTION_KEYS" in message and "\n" not in message


def test_production_starts_with_valid_totp_keys(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    prod = _production(TOTP_ENCRYPTION_KEYS=f" {NEW_KEY} , {OLD_KEY} ", UPLOAD_DIR=str(tmp_path))
    assert prod.config["ENV_NAME"] == "production"


def test_a_secret_sealed_with_a_lost_key_gets_a_clear_answer_not_a_500(keyed, caplog):
    keyed(OLD_KEY)
    user = factories.make_user("hq.lostkey@eeas.example.org", "hq")
    other = keyed(NEW_KEY)  # the old key was dropped from TOTP_ENCRYPTION_KEYS
    answer = _sign_in(other.test_client(), user.email, _code(STAFF_TOTP_SECRET))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert "Sign in with one of your recovery codes instead" in page
    assert "Traceback" not in page
    assert "put the old key back in the list" in caplog.text  # the operator is told why
