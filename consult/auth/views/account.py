"""The signed-in account: its page (two-factor status), and changing the password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.auth import services, totp
from consult.auth.forms import DisableTwoFactorForm, PasswordChangeForm, RecoveryCodesForm
from consult.auth.limits import account_key, login_limit
from consult.auth.roles import EU_STAFF
from consult.auth.session import begin_session
from consult.auth.views.blueprint import bp
from consult.extensions import db, limiter


@bp.route("/password", methods=["GET", "POST"])
@login_only
# The current password is typed again: a stolen session must not become a way to guess it.
@limiter.limit(login_limit, methods=["POST"], key_func=account_key)
def change_password() -> Response | str | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.new_password.data)
        except services.AccountError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc))
            return render_template("auth/password.html", form=form), 400
        # The password change ended every session, this one included: start anew.
        begin_session(user)
        db.session.commit()
        flash(
            _(
                "Your password is changed. Other devices are signed out "
                "and your API tokens are revoked."
            ),
            "success",
        )
        return redirect(url_for("main.home"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account")
@login_only
def profile() -> str:
    user = current_user._get_current_object()
    return render_template(
        "auth/profile.html",
        two_factor_on=user.has_totp,
        two_factor_required=user.role in EU_STAFF,
        recovery_left=totp.remaining_recovery_codes(user) if user.has_totp else 0,
        recovery_form=RecoveryCodesForm(),
        disable_form=DisableTwoFactorForm(),
    )
