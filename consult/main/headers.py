"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


SERVER_NAME_HEADER = "consult"


def hide_server_version() -> None:
    """Make Werkzeug's server (``flask run``, the browser tests) say only ``Server: consult``.

    The WSGI server writes that header after the app answered, so the app
    cannot remove it. Gunicorn, used in production, sends ``Server: gunicorn``
    without a version; a reverse proxy may drop it altogether.
    """
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda self: SERVER_NAME_HEADER  # type: ignore[method-assign]


def register_security_headers(app: Flask) -> None:
    hide_server_version()

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("FORCE_HTTPS"):
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if request.path.startswith("/static/"):
            # Public files. A versioned URL (see asset_url) never changes, so it is
            # cached for a year; an unversioned one is revalidated.
            if request.args.get("v") and response.status_code == 200:
                headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            # Nothing anyone sees (pages, downloads, errors) stays in a cache.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        headers.pop("Server", None)
        return response
