"""The signed-in account: its page (two-factor status), and changing the password."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.actions import attempt
from consult.auth import services, totp
from consult.auth.forms import (
    DisableTwoFactorForm,
    PasswordChangeForm,
    RecoveryCodesForm,
    TimeZoneForm,
)
from consult.auth.limits import account_key, login_limit
from consult.auth.models import User
from consult.auth.roles import EU_STAFF
from consult.auth.session import begin_session
from consult.auth.time_zones import time_zone_choices
from consult.auth.views.blueprint import bp
from consult.extensions import db, limiter
from consult.reference import services as reference
from consult.timeutil import zone_name_of


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


def _time_zone_form(user: User, formdata: Any = None) -> TimeZoneForm:
    form = TimeZoneForm(formdata=formdata, time_zone=user.time_zone or "")
    form.time_zone.choices = time_zone_choices(user, reference.countries())
    return form


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


@bp.route("/account/time-zone", methods=["GET", "POST"])
@login_only
def time_zone() -> Response | str | tuple[str, int]:
    """Choose the zone times are shown in (empty: the country's again).

    A page of its own: the list of every zone weighs more than the rest of
    the account page, and only this page needs it.
    """
    user = current_user._get_current_object()
    if request.method == "GET":
        return render_template("auth/time_zone.html", form=_time_zone_form(user))
    form = _time_zone_form(user, request.form)
    if form.validate():
        refusal = attempt(lambda: services.set_time_zone(user, form.time_zone.data or ""))
        if refusal is None:
            db.session.commit()
            flash(_("Times are now shown in %(zone)s.", zone=zone_name_of(user)), "success")
            return redirect(url_for("auth.profile") + "#time-zone-title")
        form.time_zone.errors = [str(refusal)]
    return render_template("auth/time_zone.html", form=form), 400
