"""The password policy and its hashes."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from consult.auth import passwords
from consult.auth.models import User
from consult.auth.passwords import password_problems
from consult.auth.services import AccountError, create_user
from consult.extensions import db
from tests import factories
from tests.factories import PASSWORD


def test_new_accounts_store_argon2id_hashes(app):
    user = create_user("hash@consult.example.org", "hq", "a-long-and-unusual-phrase-91")
    db.session.commit()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert "a-long-and-unusual-phrase-91" not in stored


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-pass1", "at least 12 characters"),
        ("x" * 129, "at most 128 characters"),
        ("qwertyuiop123", "among the most common"),
        ("iloveyou1234", "among the most common"),
        ("Password1234", "among the most common"),
        ("consultation123", "among the most common"),
        ("HASH.account@consult.example.org!", "email address"),
        ("hash.account-words-2026", "email address"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, password, problem):
    with pytest.raises(AccountError) as exc:
        create_user("hash.account@consult.example.org", "hq", password)
    assert problem in str(exc.value)


def test_the_shipped_common_list_is_large():
    from consult.auth.common_passwords import _common

    assert len(_common()) > 10_000


def test_twelve_to_128_characters_are_accepted(app):
    assert password_problems("ab3-kettle-07") == []
    assert password_problems("correct horse battery staple " * 4) == []
    assert password_problems("k" * 127 + "q") == []


def test_overlong_password_is_refused_before_hashing(app, monkeypatch):
    calls = []

    class CountingHasher:
        def hash(self, password):
            calls.append(password)
            return "x"

        def verify(self, stored, password):
            calls.append(password)
            return False

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    huge = "y" * 1_000_000
    assert passwords.verify_password("$argon2id$whatever", huge) is False
    with pytest.raises(ValueError):
        passwords.hash_password(huge)
    with pytest.raises(AccountError):
        create_user("huge@consult.example.org", "hq", huge)
    assert calls == []
    passwords.hash_password("z" * 128)
    assert calls == ["z" * 128]


def test_overlong_password_at_login_gets_the_usual_answer(client, cso_user):
    response = client.post("/auth/login", data={"email": cso_user.email, "password": "z" * 5000})
    assert "do not match an active account" in response.get_data(as_text=True)


def test_hash_is_upgraded_at_login_when_parameters_change(client, app, cso_user, monkeypatch):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    cso_user.password_hash = weak.hash(PASSWORD)
    db.session.commit()
    old = cso_user.password_hash
    assert "m=8192,t=1" in old
    response = client.post("/auth/login", data={"email": cso_user.email, "password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.get(User, cso_user.id).password_hash
    assert new != old and new.startswith("$argon2id$")
    assert not passwords.needs_rehash(new)
    assert passwords.verify_password(new, PASSWORD)


def test_password_change_refuses_overlong_and_common(client, login, cso_user):
    login(client, cso_user)
    for new, message in (("a" * 129, "at most 128"), ("qwertyuiop123", "most common")):
        response = client.post(
            "/auth/password",
            data={"current_password": PASSWORD, "new_password": new, "confirm": new},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert message in page
        assert 'class="error-summary"' in page


def test_staff_factory_users_have_a_second_factor(app):
    user = factories.make_user("f@consult.example.org", "moderator", delegation="eud-tn")
    assert user.totp_secret == factories.STAFF_TOTP_SECRET
