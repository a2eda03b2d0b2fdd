"""Forms of the administration area.

Choices that come from the database (organisations, delegations, countries,
priorities) are filled in when a form is built, so a form always offers what
exists now.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, PasswordInput

from consult.auth.passwords import MAX_LENGTH, MIN_LENGTH
from consult.auth.roles import ROLE_LABELS, Role
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.reference import services as reference
from consult.reference.models import Country

F = TypeVar("F", bound=FlaskForm)

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _country_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.name} ({c.code})") for c in reference.countries()]


def _organisation_choices() -> list[tuple[str, str]]:
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return [(str(o.id), o.name) for o in orgs]


def _delegation_choices() -> list[tuple[str, str]]:
    return [(d.slug, d.name) for d in reference.delegations()]


def _role_choices() -> list[tuple[str, str]]:
    return [(r.value, str(ROLE_LABELS[r])) for r in Role]


def _with_fields(name: str, base: type[F], fields: dict[str, Any]) -> type[F]:
    """A form class with fields known only when the form is built (one per country...).

    WTForms binds the fields declared on a class, in the order they were created.
    """
    return type(name, (base,), fields)


# --- users -----------------------------------------------------------------------------


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
        self.delegation.choices = [("", _l("Any"))] + _delegation_choices()


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
        self.delegation.choices = [("", _l("None"))] + _delegation_choices()
        if not invitations:
            self.setup.data = "password"

    def wants_invitation(self) -> bool:
        return self.invitations and self.setup.data != "password"

    def validate_password(self, field: Field) -> None:
        if not self.wants_invitation() and not field.data:
            raise ValidationError(_l("Set an initial password."))


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF-protected, no fields)."""

    submit = SubmitField(_l("Confirm"))


# --- organisations ---------------------------------------------------------------------


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("At most 200 characters."),
        validators=[DataRequired(_l("Give the organisation's name.")), Length(max=200)],
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
        self.countries.choices = _country_choices()


# --- delegations -----------------------------------------------------------------------


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
        self.countries.choices = _country_choices()
        if editing:
            del self.slug


def coverage_form(countries: list[Country], **kwargs: Any) -> FlaskForm:
    """One select per country: the delegation that covers it, or none (HQ)."""
    choices = [("", str(_l("No delegation: inputs go to HQ")))] + _delegation_choices()
    form_class = _with_fields(
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


# --- consultations ---------------------------------------------------------------------


def question_field_name(priority_slug: str) -> str:
    return "questions__" + priority_slug.replace("-", "_")


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
    opens_at = DateTimeLocalField(
        _l("Opens at (UTC)"),
        format=DATETIME_FORMATS,
        description=_l("Date and time in UTC, e.g. 2026-03-01T09:00."),
        invalid_value_message=_l("Give a date and time like 2026-03-01T09:00."),
        validators=[InputRequired(_l("Give the opening date and time."))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes at (UTC)"),
        format=DATETIME_FORMATS,
        description=_l("Date and time in UTC, after the opening."),
        invalid_value_message=_l("Give a date and time like 2026-04-30T17:00."),
        validators=[InputRequired(_l("Give the closing date and time."))],
    )
    countries = MultiCheckboxField(
        _l("Countries in scope"),
        validators=[DataRequired(_l("Choose at least one country in scope."))],
    )
    submit = SubmitField(_l("Save consultation"))

    question_fields: list[tuple[Any, Field]]

    def validate_closes_at(self, field: Field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The consultation must close after it opens."))


def consultation_form(priorities: list[Any], **kwargs: Any) -> ConsultationBaseForm:
    """The consultation form with one textarea of guiding questions per priority."""

    form_class = _with_fields(
        "ConsultationForm",
        ConsultationBaseForm,
        {
            question_field_name(priority.slug): TextAreaField(
                priority.name,
                description=_l("One question per line; leave empty for none."),
                validators=[Optional(), Length(max=10_000)],
            )
            for priority in priorities
        },
    )
    form = form_class(**kwargs)
    form.countries.choices = _country_choices()
    form.question_fields = [(p, form[question_field_name(p.slug)]) for p in priorities]
    return form


# --- reference data --------------------------------------------------------------------


def reference_names_form(entries: list[Any], name_max: int, **kwargs: Any) -> FlaskForm:
    """One text field per entry, to rename entries of a reference list."""

    form_class = _with_fields(
        "ReferenceNamesForm",
        FlaskForm,
        {"submit": SubmitField(_l("Save names"))}
        | {
            f"name__{entry.slug}": StringField(
                entry.slug,
                default=entry.name,
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


# --- the audit log ---------------------------------------------------------------------


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor_email = StringField(_l("Actor email contains"), validators=[Optional(), Length(max=254)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    since = DateField(
        _l("From (UTC date)"),
        invalid_value_message=_l("Give a date like 2026-03-01."),
        validators=[Optional()],
    )
    until = DateField(
        _l("Until (UTC date, inclusive)"),
        invalid_value_message=_l("Give a date like 2026-03-31."),
        validators=[Optional()],
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("Any"))] + [(a, a) for a in (actions or [])]
