"""Sign in, sign out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from consult.access import login_only, public
from consult.auth import services
from consult.auth.forms import LoginForm, PasswordChangeForm
from consult.auth.session import end_all_sessions
from consult.extensions import db, limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to after login, or None for anything else."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email_key)
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if not result.ok or result.user is None:
            db.session.commit()  # keep the audit record of the failure
            form.password.errors.append(
                _(
                    "That email and password do not match an active account. "
                    "Check both and try again."
                )
            )
            return render_template("auth/login.html", form=form), 200
        # A fresh session at login: nothing from before survives (session fixation).
        session.clear()
        login_user(result.user)
        services.mark_logged_in(result.user)
        db.session.commit()
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_only
def logout() -> Response:
    user = current_user._get_current_object()
    end_all_sessions(user)
    from consult.audit.services import record

    record("logout", user, user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_only
def change_password() -> Response | str:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except services.AccountError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc))
            return render_template("auth/password.html", form=form), 400
        db.session.commit()
        # The password change ended every session, this one included: start anew.
        session.clear()
        login_user(user)
        flash(_("Your password is changed. Other devices are signed out."), "success")
        return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account")
@login_only
def profile() -> str:
    return render_template("auth/profile.html")
