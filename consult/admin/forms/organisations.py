"""The form of an organisation: its name, countries of operation, contact, verification."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from consult.admin.forms.fields import MultiCheckboxField, country_choices


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("At most 200 characters."),
        validators=[DataRequired(_l("Give the organisation's name.")), Length(max=200)],
    )
    acronym = StringField(
        _l("Acronym (optional)"),
        description=_l(
            "The short form it goes by, like KYSO. Digests redact it wherever it appears."
        ),
        validators=[Optional(), Length(max=20)],
    )
    countries = MultiCheckboxField(
        _l("Countries of operation"),
        validators=[DataRequired(_l("Choose at least one country of operation."))],
    )
    contact_email = EmailField(
        _l("Contact email"),
        description=_l("At most 254 characters."),
        validators=[
            DataRequired(_l("Give a contact email address.")),
            Email(_l("Enter an email address like name@example.org.")),
            Length(max=254),
        ],
    )
    verified = BooleanField(_l("Verified: its members may submit inputs"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.countries.choices = country_choices()
