"""Confirming it is you: the password and the second factor again (see consult.auth.reauth)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only
from consult.audit.services import record
from consult.auth import totp
from consult.auth.forms import ConfirmIdentityForm
from consult.auth.limits import account_key, login_limit
from consult.auth.passwords import verify_password
from consult.auth.reauth import mark_reauthenticated
from consult.auth.views.blueprint import bp, safe_next
from consult.extensions import db, limiter


@bp.route("/confirm", methods=["GET", "POST"])
@login_only
@limiter.limit(login_limit, methods=["POST"], key_func=account_key)
def confirm() -> Response | str | tuple[str, int]:
    user = current_user._get_current_object()
    form = ConfirmIdentityForm()
    next_path = safe_next(request.args.get("next")) or url_for("auth.profile")
    if form.validate_on_submit():
        password_ok = verify_password(user.password_hash, form.password.data)
        code_ok = not user.has_totp or (
            password_ok and totp.verify_second_factor(user, form.code.data or "")
        )
        if password_ok and code_ok:
            mark_reauthenticated()
            record("auth.reauthenticated", user, user)
            db.session.commit()
            return redirect(next_path)
        db.session.commit()  # a used recovery code stays used
        record("auth.reauthentication_failed", user, user)
        db.session.commit()
        message = (
            _("The password or the code is not right. Try again.")
            if user.has_totp
            else _("That password is not right. Try again.")
        )
        form.password.errors.append(message)
    elif request.method == "POST" and user.has_totp and not form.code.data:
        form.code.errors.append(_("Enter the code."))
    status = 400 if form.errors else 200
    return render_template("auth/confirm.html", form=form, needs_code=user.has_totp), status
