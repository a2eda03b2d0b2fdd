"""The steps of a new input: what it is about, the text beside its questions, the review.

1. A new input starts with its priority and main country (a GET form: nothing
   is saved and the browser's Back button keeps it).
2. The form, whose guiding questions are those of the chosen priority, next
   to the text. Without JavaScript "Show the questions of this priority"
   shows them for a priority chosen meanwhile; with it they change in place.
3. "Review before sending" checks the form as sending would and shows
   exactly what will be sent and to whom, every value carried as a hidden
   field: "Submit input" sends them, "Edit" (or a row's "Change") brings the
   form back with everything kept; files stay stored under the form's
   ``upload_key`` meanwhile.

Drafts and returned inputs open at step 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template, request

from consult.inputs.models import Consultation, Input
from consult.submissions import services
from consult.submissions.forms import InputForm, carried_fields
from consult.submissions.input_data import InputData
from consult.submissions.views.input_form_page import (
    ensure_tokens,
    form_attachments,
    render_form,
)

#: The fields of step 1, and the service's names of their answers.
FIRST_STEP_FIELDS = {"priority_slug": "priority", "country_codes": "main_country"}


@dataclass
class ReviewRow:
    """One answer on the review page: its label, its values, the field it came from."""

    label: str
    values: list[str] = field(default_factory=list)
    anchor: str = ""
    long: bool = False


def first_step(consultation: Consultation) -> tuple[str, int]:
    """Step 1, or step 2 once a priority and a main country are chosen (in the query)."""
    if "priority" not in request.args:
        form = InputForm(formdata=None).setup(consultation)
        return _render_first_step(form, consultation, status=200)
    form = InputForm(formdata=request.args).setup(consultation)
    problems = services.validate(form.to_data(consultation).cleaned(), complete=True)
    missing = {k: v for k, v in problems.items() if k in FIRST_STEP_FIELDS}
    if missing:
        for name, messages in missing.items():
            form[FIRST_STEP_FIELDS[name]].errors = list(messages)
        return _render_first_step(form, consultation, status=400)
    ensure_tokens(form)
    return render_form(form, consultation, mode="new")


def _render_first_step(form: InputForm, consultation: Consultation, *, status: int):
    first = [form.priority, form.main_country]
    html = render_template(
        "submissions/form_start.html",
        form=form,
        consultation=consultation,
        summary=[(f.id, str(f.label.text), e) for f in first for e in f.errors],
    )
    return html, status


def _names(choices: list) -> dict[str, str]:
    return {str(value): str(name) for value, name in choices}


def review_rows(form: InputForm, data: InputData) -> list[ReviewRow]:
    """What the review page shows, in the order of the form, from the cleaned data."""
    countries = _names(form.other_countries.choices)
    level, kind = _names(form.level.choices), _names(form.input_type.choices)
    addressees = _names(getattr(form, "_addressees", []))
    codes = data.country_codes

    def one(value: str | None, names: dict[str, str]) -> list[str]:
        return [names.get(value, value)] if value else []

    return [
        ReviewRow(
            form.priority.label.text,
            one(data.priority_slug, _names(form.priority.choices)),
            form.priority.id,
        ),
        ReviewRow(
            form.main_country.label.text,
            one(codes[0] if codes else None, countries),
            form.main_country.id,
        ),
        ReviewRow(
            form.other_countries.label.text,
            [countries.get(c, c) for c in codes[1:]],
            form.other_countries.id,
        ),
        ReviewRow(form.level.label.text, one(data.level_slug, level), form.level.id),
        ReviewRow(form.input_type.label.text, one(data.type_slug, kind), form.input_type.id),
        ReviewRow(form.title.label.text, [data.title] if data.title else [], form.title.id),
        ReviewRow(form.body.label.text, [data.body] if data.body else [], form.body.id, long=True),
        ReviewRow(
            form.recommendations.label.text,
            [f"{addressees.get(a, a)}: {text}" for a, text in data.recommendations],
            form.recommendations.id,
            long=True,
        ),
        ReviewRow(
            form.themes.label.text,
            [_names(form.themes.choices).get(s, s) for s in data.theme_slugs],
            form.themes.id,
        ),
        ReviewRow(
            form.language.label.text,
            one(data.language, _names(form.language.choices)),
            form.language.id,
        ),
        ReviewRow(
            form.attribution.label.text,
            one(data.attribution, _names(form.attribution.choices)),
            form.attribution.id,
        ),
    ]


def render_review(
    form: InputForm, consultation: Consultation, *, mode: str, item: Input | None
) -> tuple[str, int]:
    """Step 3: what will be sent and to whom, with "Submit input" and "Edit"."""
    data = form.to_data(consultation).cleaned()
    html = render_template(
        "submissions/review.html",
        form=form,
        consultation=consultation,
        mode=mode,
        item=item,
        rows=review_rows(form, data),
        routing=services.routing_preview(data),
        attachments=form_attachments(form, item),
        carried=carried_fields(form),
    )
    return html, 200


def is_back_to_form() -> bool:
    """A button that only shows the form again: "Edit", "Change", "Show the questions"."""
    return "edit" in request.form or "show_questions" in request.form
