"""Login and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from consult.auth.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(min)s and at most %(max)s characters.", min=MIN_LENGTH, max=MAX_LENGTH
        ),
        validators=[DataRequired(_l("Choose a new password."))],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("new_password", _l("The two new passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


class EmailOnlyForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Enter your email address.")), Email(), Length(max=254)],
    )
    submit = SubmitField(_l("Send"))


class TwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "maxlength": 32},
    )
    submit = SubmitField(_l("Continue"))


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        description=_l("After adding the account, type the 6-digit code your app shows."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=16)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": 16,
        },
    )
    submit = SubmitField(_l("Turn on two-factor login"))


class RecoveryCodesForm(FlaskForm):
    code = StringField(
        _l("Current code from your app"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=16)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 16},
    )
    submit = SubmitField(_l("Make new recovery codes"))


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password."))]
    )
    code = StringField(
        _l("Current code from your app"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "maxlength": 32},
    )
    submit = SubmitField(_l("Turn off two-factor login"))


class SetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least %(min)s and at most %(max)s characters. Not a common password, "
            "and not your email address.",
            min=MIN_LENGTH,
            max=MAX_LENGTH,
        ),
        validators=[DataRequired(_l("Choose a password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("new_password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password"))


class ConfirmIdentityForm(FlaskForm):
    """The password, and the code when the account has a second factor (checked in the view)."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        description=_l(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        validators=[Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "maxlength": 32},
    )
    submit = SubmitField(_l("Confirm"))


class TimeZoneForm(FlaskForm):
    """The zone pages show times in; the choices are filled by :func:`time_zone_choices`."""

    time_zone = SelectField(
        _l("Time zone"),
        description=_l(
            "Closing dates and times are shown in this zone; hover over one to see it in UTC."
        ),
    )
    submit = SubmitField(_l("Save time zone"))
