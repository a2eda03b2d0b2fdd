"""The account pages for personal access tokens: create (shown once), list, revoke.

These are ordinary signed-in HTML pages with CSRF-protected forms, under
``/account/tokens``; the tokens they make are what ``/api/v1`` accepts.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from consult.access import requires
from consult.actions import attempt
from consult.api import tokens
from consult.auth.reauth import recent_sign_in_required
from consult.date_field import LocalDateField
from consult.errors import DomainError
from consult.extensions import db
from consult.timeutil import utcnow

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l(
            "What the token is for, e.g. the script that uses it. At most %(max)s characters.",
            max=tokens.NAME_MAX,
        ),
        validators=[
            DataRequired(_l("Give the token a name.")),
            Length(max=tokens.NAME_MAX, message=_l("Use at most %(max)s characters.")),
        ],
    )
    expires_on = LocalDateField(
        _l("Expires on (optional)"),
        about=_l(
            "The last day the token works (UTC). Leave empty for no expiry; EU staff tokens "
            "must expire."
        ),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Create token"))

    def validate_expires_on(self, field: LocalDateField) -> None:
        if field.data is not None and field.data < utcnow().date():
            raise ValidationError(_("Choose today or a later day."))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))


def _expiry(form: TokenForm) -> datetime | None:
    """A token with an expiry day works until the end of that day (UTC)."""
    if form.expires_on.data is None:
        return None
    return datetime.combine(form.expires_on.data, time.min) + timedelta(days=1)


def _page(form: TokenForm, new_token: str | None = None, status: int = 200) -> tuple[str, int]:
    user = current_user._get_current_object()
    return (
        render_template(
            "account/api_tokens.html",
            form=form,
            revoke_form=RevokeForm(),
            tokens=tokens.tokens_of(user),
            new_token=new_token,
            now=utcnow(),
        ),
        status,
    )


@bp.route("", methods=["GET"])
@requires("use_api")
def index() -> tuple[str, int]:
    return _page(TokenForm())


@bp.route("", methods=["POST"])
@requires("use_api")
@recent_sign_in_required
def create() -> tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    user = current_user._get_current_object()
    created = attempt(lambda: tokens.create_token(user, form.name.data, expires_at=_expiry(form)))
    if isinstance(created, DomainError):
        for name, messages in created.fields.items():
            target = form.expires_on if name == "expires_at" else form.name
            target.errors = [*target.errors, *messages]
        return _page(form, status=400)
    _token, raw = created
    db.session.commit()
    # Shown on this response only: the token is not stored, so it cannot be shown again.
    return _page(TokenForm(formdata=None), new_token=raw)


@bp.route("/<token_id>/revoke", methods=["POST"])
@requires("use_api")
def revoke(token_id: str) -> Response:
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    token = tokens.token_of(user, token_id)
    if token is None:
        abort(404)
    tokens.revoke_token(user, token)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked; it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
