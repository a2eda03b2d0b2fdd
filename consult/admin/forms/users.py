"""Forms of the accounts area: the filter of the user list, a new account."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import PasswordInput

from consult.admin.forms.fields import delegation_choices
from consult.auth.passwords import MAX_LENGTH, MIN_LENGTH
from consult.auth.roles import ROLE_LABELS, Role
from consult.extensions import db
from consult.organisations.models import Organisation


def _organisation_choices() -> list[tuple[str, str]]:
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return [(str(o.id), o.name) for o in orgs]


def _role_choices() -> list[tuple[str, str]]:
    return [(r.value, str(ROLE_LABELS[r])) for r in Role]


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: filters in the URL

    role = SelectField(_l("Role"), validators=[Optional()])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    delegation = SelectField(_l("Delegation"), validators=[Optional()])
    active = SelectField(_l("Status"), validators=[Optional()])
    email = StringField(_l("Email contains"), validators=[Optional(), Length(max=254)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _l("Any"))] + _role_choices()
        self.active.choices = [("", _l("Any")), ("yes", _l("Active")), ("no", _l("Deactivated"))]
        self.organisation.choices = [("", _l("Any"))] + _organisation_choices()
        self.delegation.choices = [("", _l("Any"))] + delegation_choices()


class UserCreateForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        description=_l("At most 254 characters. The person signs in with it."),
        validators=[
            DataRequired(_l("Enter the person's email address.")),
            Email(_l("Enter an email address like name@example.org.")),
            Length(max=254),
        ],
    )
    full_name = StringField(
        _l("Name"),
        description=_l("Optional, at most 200 characters; shown to colleagues."),
        validators=[Optional(), Length(max=200)],
    )
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))])
    organisation = SelectField(
        _l("Organisation"),
        description=_l("For CSO members only."),
        validators=[Optional()],
    )
    delegation = SelectField(
        _l("Delegation"),
        description=_l("For delegation moderators only."),
        validators=[Optional()],
    )
    is_org_admin = BooleanField(
        _l("May export the organisation's data and ask for its erasure (CSO members only)")
    )
    setup = RadioField(
        _l("How the person gets a password"), default="invite", validators=[Optional()]
    )
    # Kept in the page when the form comes back with an error: an admin typing
    # an initial password should not have to type it again.
    password = PasswordField(
        _l("Initial password"),
        description=_l(
            "At least %(min)s and at most %(max)s characters; tell the person to change it.",
            min=MIN_LENGTH,
            max=MAX_LENGTH,
        ),
        widget=PasswordInput(hide_value=False),
        validators=[Length(max=MAX_LENGTH)],
    )
    submit = SubmitField(_l("Create account"))

    def __init__(self, *args: Any, invitations: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        self.setup.choices = [
            ("invite", _l("Send an invitation: they choose their own password")),
            ("password", _l("Set an initial password now")),
        ]
        self.role.choices = [("", _l("Choose a role"))] + _role_choices()
        self.organisation.choices = [("", _l("None"))] + _organisation_choices()
        self.delegation.choices = [("", _l("None"))] + delegation_choices()
        if not invitations:
            self.setup.data = "password"

    def wants_invitation(self) -> bool:
        return self.invitations and self.setup.data != "password"

    def validate_password(self, field: Field) -> None:
        if not self.wants_invitation() and not field.data:
            raise ValidationError(_l("Set an initial password."))
