"""Two-factor login: the code step of signing in, enrolling an app, recovery codes, turning off."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only, public
from consult.audit.services import record
from consult.auth import services, totp
from consult.auth.forms import DisableTwoFactorForm, EnrolForm, RecoveryCodesForm, TwoFactorForm
from consult.auth.limits import address_key, address_limit, login_limit
from consult.auth.passwords import verify_password
from consult.auth.roles import EU_STAFF
from consult.auth.session import (
    ENROL_SECRET,
    begin_session,
    clear_pending,
    pending_next,
    pending_user,
)
from consult.auth.views.blueprint import bp, finish_login, pending_key, safe_next
from consult.extensions import db, limiter


@bp.route("/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(address_limit, methods=["POST"], key_func=address_key)
@limiter.limit(login_limit, methods=["POST"], key_func=pending_key)
def two_factor() -> Response | str | tuple[str, int]:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = pending_user()
    if user is None or not user.has_totp:
        clear_pending()
        flash(_("Please sign in to continue."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if totp.verify_second_factor(user, form.code.data):
            next_path = pending_next()
            return finish_login(user, next_path)
        record(
            "auth.login_failed", None, object_type="users", object_id=str(user.id), reason="code"
        )
        db.session.commit()
        form.code.errors.append(
            _(
                "That code is not valid. Type the code your app shows now "
                "(each code works once), or a recovery code."
            )
        )
        return render_template("auth/two_factor.html", form=form), 200
    return render_template("auth/two_factor.html", form=form)


def _enrolling_user():  # noqa: ANN202
    """Who is enrolling: a signed-in user, or staff halfway through their first sign-in."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), False
    user = pending_user()
    if user is not None and totp.must_enrol(user):
        return user, True
    return None, False


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@public
@limiter.limit(address_limit, methods=["POST"], key_func=address_key)
def two_factor_setup() -> Response | str | tuple[str, int]:
    """Enrol an authenticator app: QR code and secret as text, then a code to confirm."""
    user, signing_in = _enrolling_user()
    if user is None:
        flash(_("Please sign in to continue."), "info")
        return redirect(url_for("auth.login"))
    if user.has_totp:
        flash(_("Two-factor login is already on for your account."), "info")
        return redirect(url_for("auth.profile"))
    form = EnrolForm()
    # The same secret until enrolment ends: a page reloaded after scanning
    # still matches what the app holds. The session cookie is only signed
    # (anyone holding it can read it), so it carries the secret encrypted.
    secret = totp.open_candidate(session.get(ENROL_SECRET))
    if secret is None:
        secret = totp.new_secret()
        session[ENROL_SECRET] = totp.seal_candidate(secret)
    if form.validate_on_submit():
        try:
            codes = totp.enable(user, secret, form.code.data)
        except totp.TwoFactorError as exc:
            db.session.rollback()
            form.code.errors.append(_(str(exc)))
        else:
            next_path = pending_next() if signing_in else None
            # Enabling ended every session; this one starts anew, fully signed in.
            begin_session(user)
            if signing_in:
                services.mark_logged_in(user)
            db.session.commit()
            return render_template(
                "auth/recovery_codes.html",
                codes=codes,
                continue_to=safe_next(next_path) or url_for("main.home"),
                just_enrolled=True,
            )
    uri = totp.provisioning_uri(user, secret)
    status = 400 if form.errors else 200
    return render_template(
        "auth/enrol.html",
        form=form,
        qr=totp.qr_code_data_uri(uri),
        secret=totp.format_secret(secret),
        signing_in=signing_in,
        enrolling_user=user,
    ), status


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_only
@limiter.limit(address_limit, key_func=address_key)
def new_recovery_codes() -> Response | str | tuple[str, int]:
    user = current_user._get_current_object()
    form = RecoveryCodesForm()
    if not user.has_totp:
        return redirect(url_for("auth.profile"))
    if form.validate_on_submit() and totp.verify_code(user, form.code.data):
        codes = totp.generate_recovery_codes(user)
        record("recovery_codes.renewed", user, user)
        db.session.commit()
        return render_template(
            "auth/recovery_codes.html",
            codes=codes,
            continue_to=url_for("auth.profile"),
            just_enrolled=False,
        )
    db.session.commit()
    flash(_("That code is not valid; no new recovery codes were made."), "error")
    return redirect(url_for("auth.profile"))


@bp.route("/two-factor/disable", methods=["POST"])
@login_only
@limiter.limit(address_limit, key_func=address_key)
def two_factor_disable() -> Response:
    user = current_user._get_current_object()
    if user.role in EU_STAFF:
        flash(_("Two-factor login is required for EU staff accounts."), "error")
        return redirect(url_for("auth.profile"))
    form = DisableTwoFactorForm()
    if (
        form.validate_on_submit()
        and verify_password(user.password_hash, form.password.data)
        and totp.verify_second_factor(user, form.code.data)
    ):
        totp.disable(user, user)
        begin_session(user)
        db.session.commit()
        flash(_("Two-factor login is off. Other devices are signed out."), "success")
        return redirect(url_for("auth.profile"))
    db.session.commit()
    flash(
        _("Two-factor login is still on: the password or the code was not right."),
        "error",
    )
    return redirect(url_for("auth.profile"))
