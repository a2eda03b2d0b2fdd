"""The language switcher: a plain form on every page, no JavaScript needed."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import public
from consult.auth.views.blueprint import safe_next
from consult.extensions import db
from consult.i18n import LOCALE_COOKIE, languages
from consult.main.views import bp

#: How long the cookie remembers a visitor's choice (one year).
COOKIE_MAX_AGE = 365 * 24 * 3600


@bp.route("/language", methods=["POST"])
@public
def choose_language() -> Response:
    """Remember the language chosen: on the account when signed in, in a cookie always."""
    code = request.form.get("lang", "")
    if code not in languages():
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    response = redirect(safe_next(request.form.get("next")) or url_for("main.home"))
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response
