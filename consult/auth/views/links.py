"""Emailed links: a forgotten password asked for, the password reset, an invitation accepted."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.access import public
from consult.auth import services
from consult.auth.forms import EmailOnlyForm, SetPasswordForm
from consult.auth.invitations import InvitationError, accept_invitation, invitation_user
from consult.auth.limits import address_key, address_limit, login_email_key, login_limit
from consult.auth.roles import EU_STAFF
from consult.auth.views.blueprint import bp
from consult.extensions import db, limiter


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(address_limit, methods=["POST"], key_func=address_key)
@limiter.limit(login_limit, methods=["POST"], key_func=login_email_key)
def forgot_password() -> str | tuple[str, int]:
    form = EmailOnlyForm()
    form.submit.label.text = _("Send me a link")
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("auth/forgot_sent.html")
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


def takes_link_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Hand the view the one-time token of its emailed link, kept out of URLs after the first hop.

    The emailed link carries it as ``?token=``; the first GET moves it into the
    session and redirects to the bare path, so it stays out of the browser's
    history and of any later request line. The view gets it as ``token``
    (empty when there is none).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = f"link_token:{request.endpoint}"
        token = request.args.get("token", "")
        if token and request.method == "GET":
            session[key] = token
            return redirect(request.path)
        return view(*args, token=token or session.get(key, ""), **kwargs)

    return wrapped


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(address_limit, methods=["POST"], key_func=address_key)
@takes_link_token
def reset_password(token: str) -> Response | str | tuple[str, int]:
    user = services.reset_user(token) if token else None
    if user is None:
        return render_template("auth/link_invalid.html", purpose="reset"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.new_password.data)
        except services.AccountError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc))
        else:
            db.session.commit()
            session.clear()
            flash(
                _("Your password is changed. Sign in with it (and your code, if you use one)."),
                "success",
            )
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template(
        "auth/set_password.html", form=form, purpose="reset", account_email=user.email
    ), status


@bp.route("/invite", methods=["GET", "POST"])
@public
@limiter.limit(address_limit, methods=["POST"], key_func=address_key)
@takes_link_token
def accept_invite(token: str) -> Response | str | tuple[str, int]:
    found = invitation_user(token) if token else None
    if found is None:
        return render_template("auth/link_invalid.html", purpose="invite"), 404
    _row, user = found
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accept_invitation(token, form.new_password.data)
        except InvitationError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc))
        else:
            db.session.commit()
            session.clear()
            message = _("Your password is set. Sign in now.")
            if user.role in EU_STAFF:
                message += " " + _("You will then set up two-factor login with an app.")
            flash(message, "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template(
        "auth/set_password.html", form=form, purpose="invite", account_email=user.email
    ), status
