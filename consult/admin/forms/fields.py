"""What the admin forms share: checkbox lists, database choices, built forms, a confirm button.

Choices that come from the database are filled in when a form is built, so a
form always offers what exists now.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget

from consult.reference import services as reference

F = TypeVar("F", bound=FlaskForm)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def country_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.name} ({c.code})") for c in reference.countries()]


def delegation_choices() -> list[tuple[str, str]]:
    return [(d.slug, d.name) for d in reference.delegations()]


def with_fields(name: str, base: type[F], fields: dict[str, Any]) -> type[F]:
    """A form class with fields known only when the form is built (one per country...).

    WTForms binds the fields declared on a class, in the order they were created.
    """
    return type(name, (base,), fields)


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF-protected, no fields)."""

    submit = SubmitField(_l("Confirm"))
