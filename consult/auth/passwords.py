"""Password hashing with argon2id, and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current parameters

# A dummy hash so a login for an unknown email costs the same time as one for
# a known email: timing does not reveal which emails have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    # Refuse before hashing: a megabyte "password" must not cost a megabyte of work.
    if len(password) > MAX_LENGTH:
        raise ValueError(f"A password has at most {MAX_LENGTH} characters.")
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    if not stored_hash:
        _burn_time(password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def _burn_time(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        pass


def burn_time_for_unknown_user(password: str) -> None:
    """Spend the time a real verification would, for an email with no account."""
    _burn_time(password[:MAX_LENGTH])


def password_problems(password: str, email: str | None = None) -> list[str]:
    """What is wrong with a new password, in words a person can act on."""
    from consult.auth.common_passwords import is_common

    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
        return problems
    if is_common(password):
        problems.append("This password is among the most common ones; choose another.")
    if email:
        local = email.split("@", 1)[0].lower()
        if email.lower() in password.lower() or (len(local) >= 4 and local in password.lower()):
            problems.append("Do not use your email address in your password.")
    return problems
