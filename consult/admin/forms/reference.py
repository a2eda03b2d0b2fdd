"""Forms of the reference lists: renaming their entries, adding one."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from consult.admin.forms.fields import with_fields


def reference_names_form(entries: list[Any], name_max: int, **kwargs: Any) -> FlaskForm:
    """One text field per entry, to rename entries of a reference list."""

    form_class = with_fields(
        "ReferenceNamesForm",
        FlaskForm,
        {"submit": SubmitField(_l("Save names"))}
        | {
            f"name__{entry.slug}": StringField(
                entry.slug,
                default=entry.name_en,
                validators=[DataRequired(_l("A name cannot be empty.")), Length(max=name_max)],
            )
            for entry in entries
        },
    )
    return form_class(**kwargs)


class ReferenceAddForm(FlaskForm):
    slug = StringField(
        _l("Slug"),
        description=_l(
            "Lower-case letters, digits and hyphens, at most 40 characters. "
            "It cannot be changed later: the API, exports and digests use it."
        ),
        validators=[DataRequired(_l("Give the new entry a slug.")), Length(max=40)],
    )
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the new entry a name.")), Length(max=160)]
    )
    submit = SubmitField(_l("Add entry"))
