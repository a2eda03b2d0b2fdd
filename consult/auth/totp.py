"""Two-factor login with time-based one-time codes (TOTP, RFC 6238).

Mandatory for EU staff (moderators, HQ analysts, admins), optional for CSO
members. The enrolment page shows a QR code drawn on the server (no outside
service ever sees the secret) and the secret as text. A code is accepted
once: the time-step it belongs to is remembered in ``User.totp_last_step``
and no code of that step or an earlier one is taken again. Ten one-time
recovery codes, stored as salted SHA-256 hashes, let a person in who lost
their phone. Secrets are kept encrypted, in the database and in the
enrolment session alike (:mod:`consult.auth.secretbox`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from consult.audit.services import record
from consult.auth import secretbox
from consult.auth.models import RecoveryCode, User
from consult.auth.roles import EU_STAFF
from consult.auth.session import end_all_sessions
from consult.errors import DomainError
from consult.extensions import db
from consult.timeutil import utcnow

ISSUER = "consult"
INTERVAL = 30
#: Codes of the step before and after the current one are accepted (clock drift).
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class TwoFactorError(DomainError):
    """A two-factor request that cannot be carried out, with a message for a person."""


class SecretUnreadable(TwoFactorError):
    """The stored secret opens with none of the configured keys: a server setting is wrong.

    ``TOTP_ENCRYPTION_KEYS`` lost the key the secret was sealed with. The person
    can still sign in with a recovery code; an operator must put the key back.
    """


def requires_two_factor(user: User) -> bool:
    """Whether signing in needs a second factor now (enrolled, or staff who must enrol)."""
    return user.has_totp or user.role in EU_STAFF


def must_enrol(user: User) -> bool:
    """Staff without a secret: they may do nothing but enrol."""
    return user.role in EU_STAFF and not user.has_totp


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, interval=INTERVAL).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG data URI (allowed by the CSP's ``img-src data:``)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def format_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // INTERVAL)


def matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time-step ``code`` belongs to, if it is valid now and newer than ``last_step``."""
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret, interval=INTERVAL)
    now_step = current_step()
    found = None
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def verify_code(user: User, code: str) -> bool:
    """Check a code against the user's secret; a code is used once (the caller commits).

    A secret stored in plain text (from before encryption) or under a key
    that is no longer the first is stored anew, encrypted with the first key.
    """
    stored = user.totp_secret_token
    if not stored:
        return False
    try:
        secret = secretbox.open_token(stored)
    except secretbox.SecretBoxError as exc:
        current_app.logger.error(
            "the two-factor secret of user %s opens with no key of TOTP_ENCRYPTION_KEYS: "
            "put the old key back in the list (after the new one)",
            user.id,
        )
        raise SecretUnreadable(str(exc)) from None
    step = matching_step(secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    if secretbox.needs_reseal(stored):
        user.totp_secret_token = secretbox.reseal(stored)
    db.session.flush()
    return True


def reseal_all_secrets() -> int:
    """Encrypt every stored secret with the first key; return how many were.

    For after a new key is put first in ``TOTP_ENCRYPTION_KEYS``; plain-text
    secrets from before encryption are encrypted too. Raises
    :class:`~consult.auth.secretbox.SecretBoxError` (changing nothing, once
    the caller rolls back) when a secret opens with none of the keys.
    """
    users = db.session.scalars(select(User).where(User.totp_secret_token.is_not(None))).all()
    for user in users:
        user.totp_secret_token = secretbox.reseal(user.totp_secret_token)
    db.session.flush()
    return len(users)


# --- enrolment candidate in the session -------------------------------------------


def seal_candidate(secret: str) -> str:
    """The enrolment candidate as kept in the session cookie: encrypted, not just signed."""
    return secretbox.seal(secret)


def open_candidate(sealed: object) -> str | None:
    """The candidate secret from the session, or None (missing, tampered, old key)."""
    if not isinstance(sealed, str) or secretbox.is_legacy(sealed):
        return None
    try:
        return secretbox.open_token(sealed)
    except secretbox.SecretBoxError:
        return None


# --- recovery codes -----------------------------------------------------------------


def _hash_recovery(code: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{normalise_recovery_code(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def generate_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them (shown once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(
            RecoveryCode(user_id=user.id, code_hash=_hash_recovery(code, secrets.token_hex(8)))
        )
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once (the caller commits)."""
    if len(code or "") > 64:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        try:
            _scheme, salt, _digest = row.code_hash.split("$", 2)
        except ValueError:
            continue
        if hmac.compare_digest(row.code_hash, _hash_recovery(code, salt)):
            row.used_at = utcnow()
            record("recovery_code.used", user, user)
            db.session.flush()
            return True
    return False


def verify_second_factor(user: User, code: str) -> bool:
    """A TOTP code, or else a recovery code."""
    cleaned = _digits(code)
    if re.fullmatch(r"\d{6}", cleaned):
        return verify_code(user, cleaned)
    return use_recovery_code(user, code)


# --- enrolment ----------------------------------------------------------------------


def enable(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor login on with ``secret`` once a code from it checks out.

    Returns the new recovery codes. Every other session of the user ends: they
    were opened with one factor.
    """
    if not re.fullmatch(r"[A-Z2-7]{16,64}", secret or ""):
        raise TwoFactorError("The enrolment expired; start again.")
    step = matching_step(secret, code, None)
    if step is None:
        raise TwoFactorError(
            "That code does not match. Check the time on your phone and type the current code."
        )
    user.totp_secret = secret
    user.totp_last_step = step
    codes = generate_recovery_codes(user)
    end_all_sessions(user)
    record("two_factor.enabled", user, user)
    db.session.flush()
    return codes


def disable(user: User, actor: User) -> None:
    """Turn two-factor login off (CSO members only; staff must keep it)."""
    if user.role in EU_STAFF and actor.id == user.id:
        raise TwoFactorError("Two-factor login is required for EU staff accounts.")
    _clear(user)
    record("two_factor.disabled", actor, user)


def reset_two_factor(user: User, actor: User) -> None:
    """For an admin: clear a user's second factor (lost phone and codes).

    Staff must enrol again at their next sign-in; every session of the user ends
    and every API token is revoked (the lost phone may be in someone's hands).
    """
    from consult.auth.revocation import revoke_all_api_tokens

    _clear(user)
    revoke_all_api_tokens(user, actor, "two_factor_reset")
    record("two_factor.reset", actor, user)


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)
    db.session.flush()
