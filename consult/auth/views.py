"""Sign in (password, then a code), sign out, passwords, invitations, two-factor enrolment."""

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
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from consult.access import login_only, public
from consult.audit.services import record
from consult.auth import services, totp
from consult.auth.forms import (
    DisableTwoFactorForm,
    EmailOnlyForm,
    EnrolForm,
    LoginForm,
    PasswordChangeForm,
    RecoveryCodesForm,
    SetPasswordForm,
    TwoFactorForm,
)
from consult.auth.invitations import InvitationError, accept_invitation, invitation_user
from consult.auth.passwords import verify_password
from consult.auth.roles import EU_STAFF
from consult.auth.session import (
    ENROL_SECRET,
    begin_session,
    clear_pending,
    end_all_sessions,
    pending_next,
    pending_user,
    set_pending,
)
from consult.extensions import db, limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _login_email_key() -> str:
    """Count attempts per account (the email typed), whatever address they come from."""
    return "login:" + (request.form.get("email") or "").strip().lower()[:254]


def _address_key() -> str:
    return "addr:" + (get_remote_address() or "")


def _pending_key() -> str:
    """Count code attempts per account halfway through signing in."""
    pending = session.get("consult_pending")
    user = pending.get("user", "") if isinstance(pending, dict) else ""
    return "2fa:" + str(user).split(":", 1)[0]


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to after login, or None for anything else."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _finish_login(user, next_path: str | None) -> Response:  # noqa: ANN001
    begin_session(user)
    services.mark_logged_in(user)
    db.session.commit()
    return redirect(safe_next(next_path) or url_for("main.home"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
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
        user = result.user
        next_path = safe_next(request.args.get("next"))
        if totp.requires_two_factor(user):
            # Password right: not signed in yet. Nothing from before survives.
            db.session.commit()  # a rehashed password is kept
            set_pending(user, next_path)
            if totp.must_enrol(user):
                return redirect(url_for("auth.two_factor_setup"))
            return redirect(url_for("auth.two_factor"))
        return _finish_login(user, next_path)
    return render_template("auth/login.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
@limiter.limit(_login_limit, methods=["POST"], key_func=_pending_key)
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
            return _finish_login(user, next_path)
        record("login_failed", None, object_type="users", object_id=str(user.id), reason="code")
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
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
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
@limiter.limit(_address_limit, key_func=_address_key)
def new_recovery_codes() -> Response | str | tuple[str, int]:
    user = current_user._get_current_object()
    form = RecoveryCodesForm()
    if not user.has_totp:
        return redirect(url_for("auth.profile"))
    if form.validate_on_submit() and totp.verify_code(user, form.code.data):
        codes = totp.generate_recovery_codes(user)
        record("recovery_codes_renewed", user, user)
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
@limiter.limit(_address_limit, key_func=_address_key)
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


@bp.route("/logout", methods=["POST"])
@login_only
def logout() -> Response:
    user = current_user._get_current_object()
    end_all_sessions(user)
    record("logout", user, user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_only
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
        flash(_("Your password is changed. Other devices are signed out."), "success")
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


# --- forgotten password and invitations --------------------------------------------


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email_key)
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


def _link_token(purpose: str) -> str | Response:
    """The one-time token of a reset or invitation link, kept out of URLs after the first hop.

    The emailed link carries it as ``?token=``; the first GET moves it into the
    session and redirects to the bare path, so it stays out of the browser's
    history and of any later request line.
    """
    key = f"link_token_{purpose}"
    token = request.args.get("token", "")
    if token and request.method == "GET":
        session[key] = token
        return redirect(request.path)
    return token or session.get(key, "")


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
def reset_password() -> Response | str | tuple[str, int]:
    token = _link_token("reset")
    if isinstance(token, Response):
        return token
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
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key)
def accept_invite() -> Response | str | tuple[str, int]:
    token = _link_token("invite")
    if isinstance(token, Response):
        return token
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
