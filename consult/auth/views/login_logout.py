"""Signing in with a password, and signing out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from consult.access import login_only, public
from consult.audit.services import record
from consult.auth import services, totp
from consult.auth.forms import LoginForm
from consult.auth.limits import password_limits
from consult.auth.session import end_all_sessions, set_pending
from consult.auth.views.blueprint import bp, finish_login, safe_next
from consult.extensions import db


@bp.route("/login", methods=["GET", "POST"])
@public
@password_limits()
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
        user = result.user
        next_path = safe_next(request.args.get("next"))
        if totp.requires_two_factor(user):
            # Password right: not signed in yet. Nothing from before survives.
            db.session.commit()  # a rehashed password is kept
            set_pending(user, next_path)
            if totp.must_enrol(user):
                return redirect(url_for("auth.two_factor_setup"))
            return redirect(url_for("auth.two_factor"))
        return finish_login(user, next_path)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_only
def logout() -> Response:
    user = current_user._get_current_object()
    end_all_sessions(user)
    record("auth.logout", user, user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
