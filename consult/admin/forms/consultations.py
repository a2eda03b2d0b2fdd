"""The consultation form, with one textarea of guiding questions per priority."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from consult.admin.forms.fields import MultiCheckboxField, country_choices, with_fields
from consult.date_field import LocalDateTimeField

#: The languages a consultation's text may be given in besides English.
OTHER_LANGUAGES = ("fr", "ar", "ru", "uk")


def question_field_name(priority_slug: str, locale: str = "") -> str:
    prefix = f"text_{locale}__questions__" if locale else "questions__"
    return prefix + priority_slug.replace("-", "_")


def _language_fields(priorities: list[Any]) -> dict[str, Field]:
    """Title, description and questions per priority in each other language (optional)."""
    fields: dict[str, Field] = {}
    for locale in OTHER_LANGUAGES:
        fields[f"text_{locale}__title"] = StringField(
            _l("Title"), validators=[Optional(), Length(max=200)]
        )
        fields[f"text_{locale}__description"] = TextAreaField(
            _l("Description"), validators=[Optional(), Length(max=10_000)]
        )
        for priority in priorities:
            fields[question_field_name(priority.slug, locale)] = TextAreaField(
                priority.name, validators=[Optional(), Length(max=10_000)]
            )
    return fields


class ConsultationBaseForm(FlaskForm):
    slug = StringField(
        _l("Slug"),
        description=_l(
            "Lower-case letters, digits and hyphens, at most 80 characters; used in links."
        ),
        validators=[DataRequired(_l("Give the consultation a slug.")), Length(max=80)],
    )
    title = StringField(
        _l("Title"),
        description=_l("At most 200 characters."),
        validators=[DataRequired(_l("Give the consultation a title.")), Length(max=200)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the consultation is about; at most 10,000 characters."),
        validators=[Optional(), Length(max=10_000)],
    )
    opens_at = LocalDateTimeField(
        _l("Opens at (UTC)"),
        validators=[InputRequired(_l("Give the opening date and time."))],
    )
    closes_at = LocalDateTimeField(
        _l("Closes at (UTC)"),
        about=_l("After the opening."),
        validators=[InputRequired(_l("Give the closing date and time."))],
    )
    countries = MultiCheckboxField(
        _l("Countries in scope"),
        validators=[DataRequired(_l("Choose at least one country in scope."))],
    )
    submit = SubmitField(_l("Save consultation"))

    question_fields: list[tuple[Any, Field]]
    #: locale -> (title, description, [(priority, questions field)])
    language_fields: dict[str, tuple[Field, Field, list[tuple[Any, Field]]]]

    def validate_closes_at(self, field: Field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The consultation must close after it opens."))


def consultation_form(priorities: list[Any], **kwargs: Any) -> ConsultationBaseForm:
    """The consultation form with one textarea of guiding questions per priority."""

    form_class = with_fields(
        "ConsultationForm",
        ConsultationBaseForm,
        {
            question_field_name(priority.slug): TextAreaField(
                priority.name,
                description=_l("One question per line; leave empty for none."),
                validators=[Optional(), Length(max=10_000)],
            )
            for priority in priorities
        }
        | _language_fields(priorities),
    )
    form = form_class(**kwargs)
    form.countries.choices = country_choices()
    form.question_fields = [(p, form[question_field_name(p.slug)]) for p in priorities]
    form.language_fields = {
        locale: (
            form[f"text_{locale}__title"],
            form[f"text_{locale}__description"],
            [(p, form[question_field_name(p.slug, locale)]) for p in priorities],
        )
        for locale in OTHER_LANGUAGES
    }
    return form
