"""Forms of the delegations area: a delegation, and which delegation covers each country."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from consult.admin.forms.fields import (
    MultiCheckboxField,
    country_choices,
    delegation_choices,
    with_fields,
)
from consult.reference.models import Country


class DelegationForm(FlaskForm):
    slug = StringField(
        _l("Slug"),
        description=_l(
            "Lower-case letters, digits and hyphens, at most 40 characters (e.g. eud-jordan). "
            "It cannot be changed later."
        ),
        validators=[DataRequired(_l("Give the delegation a slug.")), Length(max=40)],
    )
    name = StringField(
        _l("Name"),
        description=_l("At most 120 characters."),
        validators=[DataRequired(_l("Give the delegation a name.")), Length(max=120)],
    )
    countries = MultiCheckboxField(
        _l("Countries covered"),
        description=_l(
            "A country taken from another delegation moves here. A country this delegation "
            "stops covering has no delegation: its inputs go to HQ."
        ),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.countries.choices = country_choices()
        if editing:
            del self.slug


def coverage_form(countries: list[Country], **kwargs: Any) -> FlaskForm:
    """One select per country: the delegation that covers it, or none (HQ)."""
    choices = [("", str(_l("No delegation: inputs go to HQ")))] + delegation_choices()
    form_class = with_fields(
        "CoverageForm",
        FlaskForm,
        {"submit": SubmitField(_l("Save coverage"))}
        | {
            f"country__{country.code}": SelectField(
                country.name, default=country.delegation_slug or "", validators=[Optional()]
            )
            for country in countries
        },
    )
    form = form_class(**kwargs)
    for country in countries:
        form[f"country__{country.code}"].choices = choices
    return form
