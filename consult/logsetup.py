"""The application log: one line per event on stderr, as text or JSON lines.

Format (``CONSULT_LOG_FORMAT=text``, the default)::

    2026-11-30T18:42:56Z ERROR consult mail delivery failed: SSLCertVerificationError

that is the UTC time, the level, the logger's name and the message; a
traceback follows on the next lines. With ``CONSULT_LOG_FORMAT=json`` each
record is one JSON object on one line, with the keys ``time``, ``level``,
``logger``, ``message`` and, for errors, ``traceback``.

Lines name events and ids. Whatever a line ends up holding, the formatter
replaces IP addresses, email addresses, API tokens and one-time link tokens
before it is written (see :mod:`consult.logprivacy`); the only exception is
the account link that development and tests log when no SMTP host is set.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask

from consult.logprivacy import redact

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
#: ``extra`` flag of a record that may keep its link token (development's account link).
KEEPS_LINK = "consult_keeps_link"


class _UTCFormatter(logging.Formatter):
    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", self.converter(record.created))


class TextFormatter(_UTCFormatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), keep_link=getattr(record, KEEPS_LINK, False))


class JsonFormatter(_UTCFormatter):
    def format(self, record: logging.LogRecord) -> str:
        keep = getattr(record, KEEPS_LINK, False)
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage(), keep_link=keep),
        }
        if record.exc_info:
            entry["traceback"] = redact(self.formatException(record.exc_info), keep_link=keep)
        return json.dumps(entry, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (tests capture it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # noqa: ANN001
        pass


_HANDLER = StderrHandler()


def configure_logging(app: Flask) -> None:
    """Send the app's (and libraries') log records to stderr in the configured format."""
    fmt = str(app.config.get("LOG_FORMAT") or "text").lower()
    if fmt not in FORMATS:
        raise SystemExit(f"consult: CONSULT_LOG_FORMAT={fmt!r} is not one of {', '.join(FORMATS)}.")
    _HANDLER.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    if _HANDLER not in root.handlers:
        root.addHandler(_HANDLER)
    app.logger.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
