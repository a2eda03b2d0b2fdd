"""The input form. Its choices depend on the consultation (countries in scope)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from consult.extensions import db
from consult.i18n import current_locale, label
from consult.inputs.models import BODY_MAX, RECOMMENDATION_MAX, TITLE_MAX, Consultation
from consult.inputs.states import ATTRIBUTION_LABELS, Attribution
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Addressee, InputType, Level, Priority, Region, Theme
from consult.submissions.services import InputData

MAX_RECOMMENDATION_ROWS = 20
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,100}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid_token(value: str | None) -> str | None:
    return value if value and _TOKEN.match(value) else None


class RecommendationForm(Form):
    """One recommendation row (a sub-form: the outer form carries the CSRF token)."""

    addressee = SelectField(_l("Addressed to"), choices=[], default="eu")
    text = TextAreaField(
        _l("Recommendation"),
        validators=[Length(max=RECOMMENDATION_MAX)],
        description=_l("At most %(n)s characters.", n=RECOMMENDATION_MAX),
    )


class InputForm(FlaskForm):
    """The input form. CSRF is checked for every POST by CSRFProtect before the view
    runs (and a failure re-renders this form with the text kept), so the form itself
    does not check it again: that lets a person sign in again mid-form."""

    class Meta:
        csrf = False

    form_token = HiddenField()
    upload_key = HiddenField()
    priority = SelectField(_l("Priority"), choices=[], default="")
    main_country = SelectField(
        _l("Main country"),
        choices=[],
        default="",
        description=_l(
            "The input goes to the EU Delegation covering this country, or to EU "
            "headquarters where no delegation covers it."
        ),
    )
    other_countries = SelectMultipleField(
        _l("Other countries this input is about"), choices=[], validate_choice=True
    )
    level = SelectField(_l("Level"), choices=[], default="")
    input_type = SelectField(_l("Type of input"), choices=[], default="")
    title = StringField(
        _l("Title"),
        validators=[Length(max=TITLE_MAX)],
        description=_l("At most %(n)s characters.", n=TITLE_MAX),
    )
    body = TextAreaField(
        _l("Your input"),
        validators=[Length(max=BODY_MAX)],
        description=_l(
            "Context, analysis, what works, concerns. At most %(n)s characters.", n=BODY_MAX
        ),
    )
    recommendations = FieldList(
        FormField(RecommendationForm),
        label=_l("Recommendations"),
        min_entries=1,
        max_entries=MAX_RECOMMENDATION_ROWS,
    )
    themes = SelectMultipleField(_l("Themes"), choices=[])
    language = SelectField(_l("Language of your input"), choices=[], default=current_locale)
    attribution = RadioField(
        _l("May reports name your organisation?"),
        choices=[],
        default=Attribution.NON_ATTRIBUTABLE.value,
    )
    hq_direct = BooleanField(
        _l("Send directly to EU headquarters (HQ-direct)"),
        description=_l(
            "If sharing this with the EU Delegation could put you at risk, tick this box: "
            "the input skips the delegation and goes to EEAS and DG NEAR staff in Brussels, "
            "and delegation staff never see your organisation's name."
        ),
    )
    attachments = MultipleFileField(_l("Attach files"))
    add_recommendation = SubmitField(_l("Add another recommendation"))
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit input"))
    resubmit = SubmitField(_l("Resubmit revised input"))
    #: The text step's way to the review: validates, shows what will be sent, saves nothing.
    review = SubmitField(_l("Review before sending"))
    #: Without JavaScript: shows the guiding questions of the priority chosen meanwhile.
    show_questions = SubmitField(_l("Show the questions of this priority"))
    #: The review's way back to the form, with everything kept.
    edit = SubmitField(_l("Edit"))

    def setup(self, consultation: Consultation) -> InputForm:
        """Fill the choices from the reference data and the consultation's scope."""
        choose = ("", _l("Choose…"))
        self.priority.choices = [choose] + [
            (p.slug, p.name)
            for p in db.session.scalars(select(Priority).order_by(Priority.position))
        ]
        scope = set(consultation.country_codes)
        grouped: dict[str, list[tuple[str, str]]] = {}
        flat: list[tuple[str, str]] = []
        for region in db.session.scalars(select(Region).order_by(Region.position)):
            options = [(c.code, c.name) for c in region.countries if c.code in scope]
            if options:
                grouped[region.name] = options
                flat.extend(options)
        self.country_groups = grouped
        self.main_country.choices = {"": [choose], **grouped}
        self.other_countries.choices = flat
        self.level.choices = [choose] + [
            (lv.slug, lv.name) for lv in db.session.scalars(select(Level).order_by(Level.position))
        ]
        self.input_type.choices = [choose] + [
            (t.slug, t.name)
            for t in db.session.scalars(select(InputType).order_by(InputType.position))
        ]
        self.themes.choices = [
            (t.slug, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.position))
        ]
        self.language.choices = [(code, label(name)) for code, name in INPUT_LANGUAGES]
        self.attribution.choices = [(a.value, _(ATTRIBUTION_LABELS[a])) for a in Attribution]
        self._addressees = [
            (a.slug, a.name)
            for a in db.session.scalars(select(Addressee).order_by(Addressee.position))
        ]
        for entry in self.recommendations:
            entry.form.addressee.choices = self._addressees
        return self

    def add_recommendation_row(self) -> bool:
        """Add an empty recommendation row; False when the form already has the most."""
        if len(self.recommendations.entries) >= MAX_RECOMMENDATION_ROWS:
            return False
        entry = self.recommendations.append_entry()
        entry.form.addressee.choices = self._addressees
        return True

    def to_data(self, consultation: Consultation) -> InputData:
        main = self.main_country.data or ""
        countries = ([main] if main else []) + [
            c for c in (self.other_countries.data or []) if c != main
        ]
        return InputData(
            consultation=consultation,
            priority_slug=self.priority.data or None,
            country_codes=countries,
            level_slug=self.level.data or None,
            type_slug=self.input_type.data or None,
            title=self.title.data or "",
            body=self.body.data or "",
            recommendations=[
                (entry.form.addressee.data or "", entry.form.text.data or "")
                for entry in self.recommendations
            ],
            theme_slugs=list(self.themes.data or []),
            language=self.language.data or "en",
            attribution=self.attribution.data or Attribution.NON_ATTRIBUTABLE.value,
            is_hq_direct=bool(self.hq_direct.data),
        )


def carried_fields(form: InputForm) -> list[tuple[str, str]]:
    """(name, value) of every value of the form, to carry it as hidden fields.

    The review page posts these back, so what it shows is exactly what is sent;
    files are not among them: they are already stored under ``upload_key``.
    """
    pairs: list[tuple[str, str]] = []
    for field in form:
        if isinstance(field, SubmitField | MultipleFileField):
            continue
        if isinstance(field, FieldList):
            for entry in field.entries:
                pairs.extend((sub.name, sub.data or "") for sub in entry.form)
        elif isinstance(field, SelectMultipleField):
            pairs.extend((field.name, value) for value in field.data or [])
        elif isinstance(field, BooleanField):
            if field.data:
                pairs.append((field.name, "y"))
        else:
            pairs.append((field.name, field.data or ""))
    return pairs


def form_data(data: InputData) -> dict[str, Any]:
    """Initial values of the form for saved data (resuming a draft, revising)."""
    codes = list(data.country_codes)
    return {
        "priority": data.priority_slug or "",
        "main_country": codes[0] if codes else "",
        "other_countries": codes[1:],
        "level": data.level_slug or "",
        "input_type": data.type_slug or "",
        "title": data.title,
        "body": data.body,
        "recommendations": [{"addressee": a, "text": t} for a, t in data.recommendations]
        or [{"addressee": "eu", "text": ""}],
        "themes": list(data.theme_slugs),
        "language": data.language,
        "attribution": data.attribution,
        "hq_direct": data.is_hq_direct,
    }


#: Where a service error about an InputData field is shown on the form.
SERVICE_FIELD_TO_FORM = {
    "priority_slug": "priority",
    "country_codes": "main_country",
    "level_slug": "level",
    "type_slug": "input_type",
    "title": "title",
    "body": "body",
    "recommendations": "recommendations",
    "theme_slugs": "themes",
    "language": "language",
    "attribution": "attribution",
    "is_hq_direct": "hq_direct",
}


def error_items(form: InputForm, messages: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for the summary at the top, in the order of the form."""
    items: list[tuple[str, str, str]] = []
    for field in form:
        if field.name == "recommendations":
            for number, entry in enumerate(field.entries, start=1):
                for sub in entry.form:
                    for error in sub.errors:
                        items.append(
                            (f"{entry.id}-{sub.short_name}", f"{field.label.text} {number}", error)
                        )
            for error in messages.get(field.name, []):
                items.append((f"{field.id}-0-text", str(field.label.text), error))
            continue
        errors = list(field.errors) if isinstance(field.errors, list | tuple) else []
        for error in errors:
            items.append((field.id, str(field.label.text), error))
    for error in messages.get("__all__", []):
        items.append(("", "", error))
    return items


def add_errors(form: InputForm, fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """Put a service's messages next to their form fields (after ``form.validate()``).

    Returns what has no single field of its own: messages about the
    recommendations as a whole and about the input as a whole.
    """
    rest: dict[str, list[str]] = {}
    for name, errors in fields.items():
        target = SERVICE_FIELD_TO_FORM.get(name)
        if target == "recommendations" or target is None:
            key = "recommendations" if target else "__all__"
            rest.setdefault(key, []).extend(errors)
            continue
        field = form[target]
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        for error in errors:
            if error not in field.errors:
                field.errors.append(error)
    return rest
