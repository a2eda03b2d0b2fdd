"""User accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from consult.auth import secretbox
from consult.auth.roles import EU_STAFF, Role
from consult.extensions import db
from consult.timeutil import utcnow

if TYPE_CHECKING:
    from consult.organisations.models import Organisation
    from consult.reference.models import Delegation


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Stored lower-cased, so uniqueness holds without regard to case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Indexed: each forward and release finds the few HQ analysts among thousands of CSOs.
    role: Mapped[str] = mapped_column(String(20), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    delegation_slug: Mapped[str | None] = mapped_column(
        ForeignKey("delegations.slug", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A CSO member who may export their organisation's data and ask for erasure.
    is_org_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped whenever every session of the user must end (logout, password
    # change, deactivation); each session carries the value it started with.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    # The TOTP secret as a Fernet token (consult.auth.secretbox), never in plain
    # text; read and write the plain secret through ``totp_secret``.
    totp_secret_token: Mapped[str | None] = mapped_column("totp_secret", String(255))
    # The last TOTP time-step accepted, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str | None] = mapped_column(String(8))
    # The IANA zone pages show times in; None: the delegation's or organisation's country's.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    organisation: Mapped[Organisation | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return bool(self.active)

    def get_id(self) -> str:
        # Flask-Login stores this in the session: the generation makes a
        # cookie from before a logout or password change useless.
        return f"{self.id}:{self.session_generation}"

    @property
    def has_totp(self) -> bool:
        """Whether a second factor is enrolled (without decrypting it)."""
        return bool(self.totp_secret_token)

    @property
    def totp_secret(self) -> str | None:
        """The plain base32 TOTP secret, decrypted from the stored token."""
        if not self.totp_secret_token:
            return None
        return secretbox.open_token(self.totp_secret_token)

    @totp_secret.setter
    def totp_secret(self, value: str | None) -> None:
        self.totp_secret_token = secretbox.seal(value) if value else None

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_eu_staff(self) -> bool:
        return self.role in EU_STAFF

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(
        db.select(User).where(func.lower(User.email) == normalise_email(email))
    )


class RecoveryCode(db.Model):
    """A one-time two-factor recovery code, stored hashed."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class AccountToken(db.Model):
    """A one-time link: an invitation to set a password, or a password reset.

    Only the SHA-256 of the token is stored; the link expires and works once.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
