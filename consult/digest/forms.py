"""The digest page's filter form (a GET form: links to it can be shared and bookmarked)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.date_field import LocalDateField
from consult.digest.query import Reference
from consult.extensions import db
from consult.inputs.models import Consultation


class DigestFilterForm(FlaskForm):
    class Meta:
        csrf = False

    consultation = SelectField(_l("Consultation"), validate_choice=False)
    release = StringField(
        _l("Release"),
        description=_l("External digests: the release's number (empty: the latest)."),
    )
    priority = SelectField(_l("Priority"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    region = SelectField(_l("Region"), validate_choice=False)
    type = SelectField(_l("Type of input"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    since = LocalDateField(_l("Forwarded from"))
    until = LocalDateField(_l("Forwarded until"))
    audience = SelectField(
        _l("Audience"),
        choices=[
            SelectChoice("external", _l("External: may leave the EU institutions")),
            SelectChoice("internal", _l("Internal: EU staff only")),
        ],
        validate_choice=False,
    )

    def fill_choices(self) -> None:
        fill_consultations(self.consultation)

        def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
            return [SelectChoice("", _l("All"))] + [SelectChoice(v, label) for v, label in pairs]

        ref = Reference.load()
        self.priority.choices = options(list(ref.priorities.items()))
        self.country.choices = options([(c, n) for c, (n, _r) in ref.countries.items()])
        self.region.choices = options([(s, n) for s, (n, _h) in ref.regions.items()])
        self.type.choices = options(list(ref.types.items()))
        self.theme.choices = options(list(ref.themes.items()))


def fill_consultations(field: SelectField, everything: str | None = _l("All")) -> None:
    """The consultations, newest first (with an "All" choice unless ``everything`` is None)."""
    consultations = db.session.execute(
        select(Consultation.slug, Consultation.title).order_by(Consultation.opens_at.desc())
    ).all()
    first = [SelectChoice("", everything)] if everything is not None else []
    field.choices = first + [SelectChoice(s, t) for s, t in consultations]


class PublishReleaseForm(FlaskForm):
    """HQ publishes the next external release of a consultation."""

    # Its own id: the filter form above it on the page has a "consultation" too.
    consultation = SelectField(
        _l("Consultation"),
        id="publish-consultation",
        validators=[DataRequired(_l("Choose a consultation."))],
    )
    period = StringField(
        _l("Months covered (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "YYYY-MM..YYYY-MM, or one month. Empty: from the consultation's first month to "
            "the last month that is over."
        ),
    )
    confirm = BooleanField(
        _l("I understand that a release cannot be changed or withdrawn once published"),
        validators=[DataRequired(_l("Tick the box to confirm: a release is final."))],
    )
