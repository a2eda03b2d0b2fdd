"""Settings for consult, read from environment variables.

One class per environment; ``consult.create_app`` picks one from ``CONSULT_ENV``
(``development`` by default) unless a test passes its own mapping.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("CONSULT_INSTANCE_DIR", BASE_DIR / "instance"))
#: The database when DATABASE_URL is not set (refused in production).
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'consult.sqlite'}"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(value: str) -> str:
    """Accept the usual ``postgres://`` and ``postgresql://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Fernet keys, comma-separated, that encrypt two-factor secrets: the first
    # encrypts, all decrypt (rotation). Required in production; development makes
    # one of its own, once, in instance/totp_key. Never derived from SECRET_KEY.
    TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS", "")
    # A separate secret for keyed references inside internal digests (HMAC key).
    # Required in production; development makes one in instance/digest_reference_key.
    DIGEST_REFERENCE_KEY = os.environ.get("DIGEST_REFERENCE_KEY", "")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    # hide_parameters: a database error in the log never shows the values (an input's text).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # Where attachments and job files are stored: "local" (the folders below) or
    # "postgresql" (large objects in the database every app server shares).
    STORAGE_BACKEND = os.environ.get("CONSULT_STORAGE", "local").strip().lower()
    # Attachments live outside static/ under random names.
    UPLOAD_DIR = os.environ.get("CONSULT_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_ATTACHMENT_BYTES = _int("CONSULT_MAX_ATTACHMENT_MB", 10) * 1024 * 1024
    MAX_ATTACHMENTS_PER_INPUT = _int("CONSULT_MAX_ATTACHMENTS", 5)
    # A DOCX/XLSX/ODT (a ZIP archive) may unpack to at most this much in total, and
    # no member may expand more than MAX_COMPRESSION_RATIO times (zip bombs).
    MAX_UNCOMPRESSED_BYTES = _int("CONSULT_MAX_UNCOMPRESSED_MB", 25) * 1024 * 1024
    MAX_COMPRESSION_RATIO = _int("CONSULT_MAX_COMPRESSION_RATIO", 100)
    # The whole request may carry a few attachments plus the form.
    MAX_CONTENT_LENGTH = (MAX_ATTACHMENT_BYTES * MAX_ATTACHMENTS_PER_INPUT) + 1024 * 1024
    # Smallest number of organisations behind a priority x country cell of an
    # external digest before the cell is shown with its count and country.
    DIGEST_MIN_GROUP_SIZE = _int("CONSULT_DIGEST_MIN_GROUP", 3)
    RETENTION_DAYS = _int("CONSULT_RETENTION_DAYS", 730)
    STAFF_IDLE_MINUTES = _int("CONSULT_STAFF_IDLE_MINUTES", 30)
    CSO_IDLE_MINUTES = _int("CONSULT_CSO_IDLE_MINUTES", 120)
    SESSION_ABSOLUTE_HOURS = _int("CONSULT_SESSION_ABSOLUTE_HOURS", 12)
    # Creating an API token, changing the second factor or downloading an internal
    # digest asks for the password and the code again when the last sign-in is older.
    REAUTH_MINUTES = _int("CONSULT_REAUTH_MINUTES", 15)
    # One-time account links: invitations and password resets.
    INVITE_VALID_HOURS = _int("CONSULT_INVITE_VALID_HOURS", 7 * 24)
    RESET_VALID_MINUTES = _int("CONSULT_RESET_VALID_MINUTES", 60)
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto
    # (0: none). Rate limits per address need the client's address.
    TRUSTED_PROXIES = _int("CONSULT_TRUSTED_PROXIES", 0)
    # Keep no IP address of CSO submitters unless an operator explicitly asks.
    KEEP_CSO_IP = _bool("CONSULT_KEEP_CSO_IP", False)
    # Shown to members of an unverified organisation: whom to ask for verification.
    ADMIN_CONTACT_EMAIL = os.environ.get("CONSULT_ADMIN_CONTACT", "")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Sessions live on the server: in Redis when this is set (required in production),
    # otherwise in instance/sessions (development) or in memory (tests).
    SESSION_REDIS_URL = os.environ.get("SESSION_REDIS_URL", "")
    # The job queue (RQ) on this Redis; empty: jobs run in-process, in the request
    # that starts them (``make run``, tests). docs/operations.md, "Job queue".
    JOBS_REDIS_URL = os.environ.get("CONSULT_JOBS_REDIS_URL", "")
    # The RQ queue's name: two deployments (or test runs) on one Redis use two names.
    JOBS_QUEUE = os.environ.get("CONSULT_JOBS_QUEUE", "consult")
    # A digest or report of more inputs than this is made by a job, not in the request.
    JOB_THRESHOLD_INPUTS = _int("CONSULT_JOB_THRESHOLD_INPUTS", 20_000)
    # A job's file is deleted this many hours after it was made.
    JOB_FILE_HOURS = _int("CONSULT_JOB_FILE_HOURS", 24)
    # Where job files are kept until then (private, like the uploads); empty:
    # instance/job-files.
    JOB_FILES_DIR = os.environ.get("CONSULT_JOB_FILES_DIR", "")
    # A narrative report (DOCX, HTML) of more inputs than this shows counts, themes and a
    # selection: at most REPORT_PER_PLACE inputs per priority and country (docs/guide-hq.md).
    REPORT_FULL_MAX_INPUTS = _int("CONSULT_REPORT_FULL_MAX_INPUTS", 1_000)
    REPORT_PER_PLACE = _int("CONSULT_REPORT_PER_PLACE", 3)
    # A job still running after this many seconds is stopped by the worker.
    JOB_TIMEOUT_SECONDS = _int("CONSULT_JOB_TIMEOUT_SECONDS", 3 * 3600)
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # Per account (the email typed), whatever address the attempts come from.
    LOGIN_RATE_LIMIT = os.environ.get("CONSULT_LOGIN_RATE_LIMIT", "10 per minute")
    # Per client address: higher, since a CSO office or a cafe shares one address.
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("CONSULT_LOGIN_ADDRESS_RATE_LIMIT", "30 per minute")
    SUBMIT_RATE_LIMIT = os.environ.get("CONSULT_SUBMIT_RATE_LIMIT", "30 per hour")
    API_RATE_LIMIT = os.environ.get("CONSULT_API_RATE_LIMIT", "300 per minute")
    # A token stands in for a two-factor sign-in: EU staff tokens must expire within this.
    API_STAFF_TOKEN_MAX_DAYS = _int("CONSULT_API_STAFF_TOKEN_MAX_DAYS", 90)
    MAIL_FROM = os.environ.get("CONSULT_MAIL_FROM", "consult@localhost")
    SMTP_HOST = os.environ.get("CONSULT_SMTP_HOST", "")
    SMTP_PORT = _int("CONSULT_SMTP_PORT", 25)
    # Mail goes out over STARTTLS with a verified certificate. A private CA's
    # certificate file may be named; plaintext only to a relay that is explicitly allowed.
    SMTP_CA_FILE = os.environ.get("CONSULT_SMTP_CA_FILE", "")
    SMTP_ALLOW_PLAINTEXT = _bool("CONSULT_SMTP_ALLOW_PLAINTEXT", False)
    PUBLIC_URL = os.environ.get("CONSULT_PUBLIC_URL", "http://127.0.0.1:5000")
    # instance/: the SQLite database, the development secret key, uploads by default.
    INSTANCE_DIR = str(INSTANCE_DIR)
    # The log goes to stderr: "text" or "json" lines (docs/security.md, Hardening).
    LOG_FORMAT = os.environ.get("CONSULT_LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("CONSULT_LOG_LEVEL", "INFO")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = _int("CONSULT_CSRF_TIME_LIMIT", 3600 * 8)
    BABEL_DEFAULT_LOCALE = "en"
    # The interface languages; each but English has a catalogue in consult/translations.
    LANGUAGES = ["en", "fr", "ar", "ru", "uk"]
    DEBUG = False
    TESTING = False
    FORCE_HTTPS = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = _bool("FLASK_DEBUG", False)
    # Empty keys are made once, at random, in instance/ (see consult.instance_secrets).


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    # Random per test process, like a developer's instance: never a constant.
    SECRET_KEY = secrets.token_hex(32)
    TOTP_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    DIGEST_REFERENCE_KEY = secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SESSION_REDIS_URL = ""
    KEEP_CSO_IP = False
    JOBS_REDIS_URL = ""


class ProductionConfig(Config):
    ENV_NAME = "production"
    # No default in production: the operator says where files live (docs/scale.md).
    STORAGE_BACKEND = os.environ.get("CONSULT_STORAGE", "").strip().lower()
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-consult"
    FORCE_HTTPS = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
