"""Forms of the review pages. Each carries the input's version (no lost updates)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from consult.inputs.models import MESSAGE_MAX, SUMMARY_MAX, TITLE_MAX


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: FlaskForm) -> None:  # the service checks the values
        pass


class VersionForm(FlaskForm):
    """Claim, release, take over: only the version the page was loaded with."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewEditForm(FlaskForm):
    """Corrections, summary and redaction of the reviewed text."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    priority = SelectField(_l("Priority"), validate_choice=False)
    input_type = SelectField(_l("Type of input"), validate_choice=False)
    main_country = SelectField(
        _l("Main country"),
        description=_l("The country the input is mainly about; it decides who reviews it."),
        validate_choice=False,
    )
    other_countries = MultiCheckboxField(
        _l("Other countries"),
        description=_l("Ticking the main country here as well changes nothing: it counts once."),
    )
    themes = MultiCheckboxField(_l("Themes"))
    language = SelectField(_l("Language of the input"), validate_choice=False)
    moderator_summary = TextAreaField(
        _l("Moderator summary for HQ"),
        description=_l("A few sentences for HQ, at most %(n)s characters.", n=SUMMARY_MAX),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
    )
    reviewed_title = StringField(
        _l("Title (reviewed)"),
        description=_l("At most %(n)s characters.", n=TITLE_MAX),
        validators=[InputRequired(), Length(max=TITLE_MAX)],
    )
    reviewed_body = TextAreaField(
        _l("Text (reviewed)"),
        description=_l(
            "Edit passages out, or replace them with [redacted]. The CSO's original is kept, "
            "sealed, for audit."
        ),
        validators=[InputRequired()],
    )
    passages = TextAreaField(
        _l("Passages to redact"),
        description=_l(
            "One passage per line: each occurrence in the title, text and recommendations "
            "becomes [redacted]."
        ),
        validators=[Optional(), Length(max=4000)],
    )


class DecisionForm(FlaskForm):
    """Forward (with an optional note to HQ), return with a question, or decline."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    action = HiddenField(validators=[InputRequired()])
    hq_note = TextAreaField(
        _l("Note to HQ (optional)"),
        description=_l("Only EU staff read it. At most %(n)s characters.", n=MESSAGE_MAX),
        validators=[Optional(), Length(max=MESSAGE_MAX)],
    )
    question = TextAreaField(
        _l("Your question to the CSO"),
        description=_l(
            "The CSO sees it, revises the input and resubmits. At most %(n)s characters.",
            n=MESSAGE_MAX,
        ),
        validators=[Optional(), Length(max=MESSAGE_MAX)],
    )
    reason = SelectField(_l("Reason"), validate_choice=False)
    explanation = TextAreaField(
        _l("Explanation for the CSO"),
        description=_l(
            "The CSO sees the reason and this text. At most %(n)s characters.", n=MESSAGE_MAX
        ),
        validators=[Optional(), Length(max=MESSAGE_MAX)],
    )


class MergeForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    target = SelectField(
        _l("This input duplicates"),
        description=_l(
            "The other input is the one digests count; both CSOs keep their own status and "
            "timeline."
        ),
        validate_choice=False,
        validators=[InputRequired()],
    )


class FeedbackForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    note = TextAreaField(
        _l("How HQ used this input"),
        description=_l(
            "For example: reflected in the partnership priorities with Jordan. The CSO sees "
            "this note. At most %(n)s characters.",
            n=MESSAGE_MAX,
        ),
        validators=[InputRequired(), Length(max=MESSAGE_MAX)],
    )
