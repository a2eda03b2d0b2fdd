"""The input form never loses what was typed.

A POST that arrives after the session ended, or with an expired CSRF token,
or over the rate limit, re-renders the same form from the posted values and
asks the person to sign in again (inline, on the form) or to confirm; nothing
is saved from such a request until it is confirmed. Here too: the guards every
view that saves the input form shares (:func:`input_form_view`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import NotFound

from consult.access import may, parse_uuid, requires
from consult.auth.limits import password_limits
from consult.extensions import db, limiter
from consult.inputs.models import Consultation, Input
from consult.inputs.scope import load_input
from consult.submissions.forms import InputForm
from consult.submissions.views.blueprint import bp, load_consultation
from consult.submissions.views.input_form_files import files_to_choose_again
from consult.submissions.views.input_form_page import ensure_tokens, render_form

#: The endpoints that show the input form; a POST to them never loses its text.
FORM_ENDPOINTS = {"submissions.new_input", "submissions.edit_draft", "submissions.revise"}


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def _user_key() -> str:
    return "submit:" + (str(current_user.get_id()) if current_user.is_authenticated else "anon")


def _not_submitting() -> bool:
    return "submit" not in request.form and "resubmit" not in request.form


def _not_counted_submit() -> bool:
    """Sends count per signed-in member (one signing in again on the form is not yet)."""
    return _not_submitting() or not current_user.is_authenticated


def _not_signing_in() -> bool:
    return "reauth_password" not in request.form


def _form_target() -> tuple[Consultation, Input | None, str]:
    """The consultation (and input) a form POST is about, for re-rendering it."""
    args = request.view_args or {}
    endpoint = request.endpoint
    if endpoint == "submissions.new_input":
        return load_consultation(args.get("consultation_id", "")), None, "new"
    mode = "edit" if endpoint == "submissions.edit_draft" else "revise"
    if current_user.is_authenticated:
        item = load_input(args.get("input_id", ""), current_user)
    else:
        item = db.session.get(Input, parse_uuid(args.get("input_id", "")))
        if item is None:
            abort(404)
        # Nothing of the input is shown to a signed-out visitor but what they posted.
        return item.consultation, None, mode
    return item.consultation, item, mode


def rescue(kind: str, signin_error: str | None = None) -> tuple[str, int]:
    """Re-render the posted form, keeping its text, without saving anything."""
    consultation, item, mode = _form_target()
    form = InputForm().setup(consultation)
    ensure_tokens(form)
    if form.add_recommendation.data:
        form.add_recommendation_row()
    return render_form(
        form,
        consultation,
        mode=mode,
        item=item,
        rescue=kind,
        signin_error=signin_error,
        choose_again=files_to_choose_again(dropped=True),
        status={"signin": 401, "limited": 429}.get(kind, 400),
    )


def keeps_text_when_signed_out(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a form POST arriving after the session ended keep its text.

    Signed out, the form comes back filled in with a sign-in box; posted again
    with a correct email and password, the person is signed in and the form is
    processed as if nothing had happened.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.method != "POST" or current_user.is_authenticated:
            return view(*args, **kwargs)
        email = (request.form.get("reauth_email") or "").strip()
        password = request.form.get("reauth_password") or ""
        if not email or not password:
            return rescue("signin")
        from consult.auth import services as auth_services
        from consult.auth.session import begin_session
        from consult.auth.totp import requires_two_factor

        result = auth_services.authenticate(email, password)
        user = result.user if result.ok else None
        if user is None or requires_two_factor(user):
            db.session.commit()  # keep the audit record of a failed attempt
            message = (
                _("Your account uses two-step sign-in: sign in in another tab, then send again.")
                if user is not None
                else _("That email and password do not match an active account.")
            )
            return rescue("signin", message)
        begin_session(user)
        auth_services.mark_logged_in(user)
        db.session.commit()
        return view(*args, **kwargs)

    # The session-timeout hook lets a POST to such a view through (signed out)
    # instead of redirecting it to the login page and losing it.
    wrapped.keeps_text_when_signed_out = True  # type: ignore[attr-defined]
    return wrapped


def input_form_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """The guards every view that saves the input form shares.

    CSO members only; a post after the session ended keeps its text; sending
    counts against the submission limit, signing in again on the form against
    the sign-in limits. The limits wrap everything else: Flask-Limiter checks
    all of a view's limits in its innermost limit decorator, and a wrong password
    in the form's sign-in box never reaches the view, yet must count.
    """
    view = keeps_text_when_signed_out(requires("submit_input")(view))
    view = limiter.limit(
        _submit_limit, key_func=_user_key, methods=["POST"], exempt_when=_not_counted_submit
    )(view)
    return password_limits(exempt_when=_not_signing_in)(view)


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Any:
    if request.method == "POST" and request.endpoint in FORM_ENDPOINTS:
        try:
            if not current_user.is_authenticated:
                return rescue("signin")
            if may(current_user, "submit_input"):
                return rescue("confirm")
        except NotFound:
            return _error_page(404, _("Page not found"), _("There is nothing here."))
    return _error_page(
        400, _("Bad request"), _("The form expired. Go back, reload the page and send it again.")
    )


@bp.errorhandler(429)
def _too_many(exc: Exception) -> Any:
    if request.method == "POST" and request.endpoint in FORM_ENDPOINTS:
        try:
            return rescue("limited")
        except NotFound:
            pass
    return _error_page(
        429,
        _("Too many attempts"),
        _("Too many requests in a short time. Wait a minute and try again."),
    )


def _error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return (
        render_template("errors/error.html", status=status, title=title, message=message),
        status,
    )
