"""The production WSGI entry point: ``gunicorn consult.wsgi:app`` (``make serve-prod``).

It always builds the production settings, whatever ``CONSULT_ENV`` says, so
the production checks always run: an incomplete configuration stops the
server before it answers anything (:mod:`consult.settings_check`).
"""

from __future__ import annotations

from consult import create_app

app = create_app({"ENV_NAME": "production"})
