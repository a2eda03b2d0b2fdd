"""Keep client addresses out of the application log.

Our own log lines name events and ids only. Libraries are not so careful:
Flask-Limiter logs the key of an exceeded limit (for the login limits, the
client's address or the account's email), and the development server logs
every client's address. A filter on those loggers replaces anything that
looks like an IP address or an email address, and in request lines the
one-time token of a reset or invitation link.
"""

from __future__ import annotations

import logging
import re

ADDRESS = re.compile(
    r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"  # IPv4 (also after "addr:")
    r"|(?<![\w.:])(?:"
    r"(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"  # IPv6, full
    r"|(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:?){0,6}"  # IPv6 with ::
    r")(?![\w.])"
)
REDACTED_ADDRESS = "[address]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED_EMAIL = "[email]"
#: One-time link tokens in a request line (``?token=...``) of a server's access log.
LINK_TOKEN = re.compile(r"(?<=[?&]token=)[^&\s\"]+")
REDACTED_TOKEN = "[token]"  # noqa: S105 - a placeholder, not a secret
#: API tokens (``cst_...``), wherever they appear.
API_TOKEN = re.compile(r"\bcst_[A-Za-z0-9_-]+")
#: Loggers that write request lines.
ACCESS_LOGGERS = frozenset({"werkzeug", "gunicorn.access"})

#: Loggers that may be handed a client address by code that is not ours.
LOGGERS = ("flask-limiter", "werkzeug", "gunicorn.error", "gunicorn.access", "consult")


class RedactAddresses(logging.Filter):
    """Rewrite a record's message with every IP address (and email address) replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        token = record.name in ACCESS_LOGGERS and LINK_TOKEN.search(message)
        if token or ADDRESS.search(message) or EMAIL.search(message):
            if token:
                message = LINK_TOKEN.sub(REDACTED_TOKEN, message)
            record.msg = EMAIL.sub(REDACTED_EMAIL, ADDRESS.sub(REDACTED_ADDRESS, message))
            record.args = ()
        return True


_FILTER = RedactAddresses()


def install(app_logger: logging.Logger) -> None:
    """Add the filter (once) to the app's logger and the libraries' loggers."""
    for logger in (app_logger, *(logging.getLogger(name) for name in LOGGERS)):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def redact(text: str, *, keep_link: bool = False) -> str:
    """``text`` with addresses, emails, API tokens and (unless ``keep_link``) link tokens
    replaced: the last guard before a line is written."""
    text = API_TOKEN.sub(REDACTED_TOKEN, text)
    if not keep_link:
        text = LINK_TOKEN.sub(REDACTED_TOKEN, text)
    return EMAIL.sub(REDACTED_EMAIL, ADDRESS.sub(REDACTED_ADDRESS, text))
