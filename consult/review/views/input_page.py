"""The review page of one input, shown fresh or again with a refusal or conflict."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consult.access import requires
from consult.audit.services import record
from consult.extensions import db
from consult.i18n import label as reference_label
from consult.identifiers import known_identifiers, segments
from consult.inputs.models import Input
from consult.inputs.scope import (
    can_see_input,
    load_input,
    may_record_feedback,
    may_see_organisation,
    speaks_for_an_organisation,
    works_for_a_delegation,
)
from consult.inputs.states import FORWARDED_STATUSES, OPEN_FOR_REVIEW
from consult.notifications.services import read_news_about
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Country, InputType, Priority, Theme
from consult.review import services
from consult.review.forms import DecisionForm, FeedbackForm, MergeForm, ReviewEditForm, VersionForm
from consult.review.services import DECLINE_REASONS, ConflictError, can_review, describe_event
from consult.review.views.blueprint import bp


@bp.route("/inputs/<input_id>", endpoint="input")
@requires("review")
def show_input(input_id: str) -> str:
    item = load_input(input_id, current_user)
    return render_input_page(item)


@dataclass
class Typed:
    """What the reviewer typed into the page's forms, shown again after a refusal or conflict."""

    edit_form: ReviewEditForm | None = None
    decision_form: DecisionForm | None = None
    decision_action: str | None = None
    merge_form: MergeForm | None = None
    feedback_form: FeedbackForm | None = None
    rec_values: dict[int, str] | None = None
    rec_errors: list[str] = field(default_factory=list)

    def forms(self) -> list[Any]:
        return [self.edit_form, self.decision_form, self.merge_form, self.feedback_form]


@dataclass
class InputPage:
    """The page model: everything the review page shows about one input, to one user."""

    item: Input
    reviewer: bool
    can_act: bool
    is_holder: bool
    show_org: bool
    edit_form: ReviewEditForm
    edit_typed: bool
    version_form: VersionForm
    decision_form: DecisionForm
    decision_action: str | None
    merge_form: MergeForm
    has_candidates: bool
    feedback_form: FeedbackForm
    can_feedback: bool
    findings: Any
    finding_list: list[Any]
    needs_clearance: bool
    earlier_redacted: list[str]
    redacted_again: list[str]
    rec_values: dict[int, str]
    rec_errors: list[str]
    conflict: ConflictError | None
    text_diffs: list[tuple[str, str]]
    error: str | None
    duplicates: list[Input]
    merged_into_visible: bool
    language_name: str | None

    def context(self) -> dict[str, Any]:
        """The template's variables: the model's fields and the helpers that format them."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        show_org = self.show_org
        return values | {
            "actor_label": lambda event: _actor_label(event, show_org),
            "describe_event": describe_event,
            "segments": segments,
        }


def input_page(
    item: Input,
    user: Any,
    typed: Typed,
    *,
    conflict: ConflictError | None = None,
    error: str | None = None,
) -> InputPage:
    """Build the page model of ``item`` for ``user``, keeping what was ``typed``."""
    reviewer = can_review(user, item)
    earlier = services.earlier_redactions(item) if item.revision > 1 else []
    back = services.reappearing(item, earlier)
    edit_form = typed.edit_form or _edit_form_for(item, back)
    edit_choices(edit_form, item)
    decision_form = typed.decision_form or DecisionForm(formdata=None, version=item.version)
    decision_form.reason.choices = [("", _("Choose a reason"))] + [
        (slug, str(label)) for slug, label in DECLINE_REASONS.items()
    ]
    candidates = services.merge_candidates(user, item) if reviewer else []
    merge_form = typed.merge_form or MergeForm(formdata=None, version=item.version)
    merge_form.target.choices = [("", _("Choose the input it duplicates"))] + [
        (str(c.id), f"{c.effective_title} ({c.submitted_at:%d %b %Y})") for c in candidates
    ]
    feedback_form = typed.feedback_form or FeedbackForm(
        formdata=None, version=item.version, note=item.hq_feedback
    )
    duplicates = db.session.scalars(select(Input).where(Input.merged_into_id == item.id))
    findings = services.identifier_findings(item, known_identifiers())
    return InputPage(
        item=item,
        reviewer=reviewer,
        can_act=reviewer and item.status in OPEN_FOR_REVIEW,
        is_holder=item.claimed_by_id == user.id,
        show_org=may_see_organisation(user, item),
        edit_form=edit_form,
        edit_typed=typed.edit_form is not None,
        version_form=VersionForm(formdata=None, version=item.version),
        decision_form=decision_form,
        decision_action=typed.decision_action,
        merge_form=merge_form,
        has_candidates=bool(candidates),
        feedback_form=feedback_form,
        can_feedback=may_record_feedback(user, item) and item.status in FORWARDED_STATUSES,
        findings=findings,
        finding_list=services.field_findings(item, findings),
        needs_clearance=services.needs_clearance(item),
        earlier_redacted=earlier,
        redacted_again=back,
        rec_values=typed.rec_values or {},
        rec_errors=typed.rec_errors,
        conflict=conflict,
        text_diffs=_text_diffs(item, edit_form, typed.rec_values) if conflict else [],
        error=error,
        duplicates=[d for d in duplicates if can_see_input(user, d)],
        merged_into_visible=item.merged_into is not None and can_see_input(user, item.merged_into),
        language_name=reference_label(
            dict(INPUT_LANGUAGES).get(item.language or "", item.language)
        ),
    )


def render_input_page(
    item: Input,
    typed: Typed | None = None,
    *,
    conflict: ConflictError | None = None,
    error: str | None = None,
    status: int = 200,
) -> Any:
    """The review page of ``item`` (``status``: 400 after a refusal, 409 after a conflict)."""
    page = input_page(item, current_user, typed or Typed(), conflict=conflict, error=error)
    record("input.viewed", current_user, item)
    read_news_about(current_user, item)
    html = render_template("review/input.html", **page.context())
    db.session.commit()
    return html, status


def _actor_label(event: Any, show_org: bool) -> str:
    actor = event.actor
    if actor is None:
        return _("someone")
    if speaks_for_an_organisation(actor):
        if show_org and actor.organisation is not None:
            return _("the CSO (%(name)s)", name=actor.organisation.name)
        return _("the CSO")
    return actor.display_name


def _edit_form_for(item: Input, redact_again: list[str]) -> ReviewEditForm:
    """The corrections form as saved; passages redacted before and back in the text are ready."""
    codes = item.country_codes
    return ReviewEditForm(
        formdata=None,
        version=item.version,
        priority=item.priority_slug,
        input_type=item.type_slug,
        main_country=codes[0] if codes else "",
        other_countries=codes[1:],
        themes=[t.slug for t in item.themes],
        language=item.language,
        moderator_summary=item.moderator_summary or "",
        reviewed_title=item.effective_title,
        reviewed_body=item.effective_body,
        passages="\n".join(redact_again),
    )


def edit_choices(form: ReviewEditForm, item: Input) -> None:
    form.priority.choices = [
        (p.slug, p.name) for p in db.session.scalars(select(Priority).order_by(Priority.position))
    ]
    form.input_type.choices = [
        (t.slug, t.name) for t in db.session.scalars(select(InputType).order_by(InputType.position))
    ]
    countries = (
        item.consultation.countries
        if item.consultation and item.consultation.countries
        else list(db.session.scalars(select(Country).order_by(Country.name)))
    )
    if works_for_a_delegation(current_user):
        main = [c for c in countries if c.delegation_slug == current_user.delegation_slug]
    else:
        main = list(countries)
    form.main_country.choices = [(c.code, c.name) for c in main]
    form.other_countries.choices = [(c.code, c.name) for c in countries]
    form.themes.choices = [
        (t.slug, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.position))
    ]
    form.language.choices = [(code, reference_label(name)) for code, name in INPUT_LANGUAGES]


def _text_diffs(
    item: Input, form: ReviewEditForm, rec_values: dict[int, str] | None
) -> list[tuple[str, str]]:
    """For each text field where the typed text differs from the saved one: a line diff."""
    pairs = [
        (_("Title"), item.effective_title, form.reviewed_title.data),
        (_("Text"), item.effective_body, form.reviewed_body.data),
        (_("Moderator summary"), item.moderator_summary or "", form.moderator_summary.data),
    ]
    for rec in item.recommendations:
        if rec_values and rec.id in rec_values:
            pairs.append((_("Recommendation"), rec.effective_text, rec_values[rec.id]))
    diffs = []
    for label, saved, typed in pairs:
        if typed is None or (typed or "").replace("\r\n", "\n") == (saved or ""):
            continue
        lines = difflib.unified_diff(
            (saved or "").splitlines(),
            (typed or "").replace("\r\n", "\n").splitlines(),
            fromfile=_("saved now"),
            tofile=_("your text"),
            lineterm="",
        )
        diffs.append((label, "\n".join(lines)))
    return diffs


def load_for_action(input_id: str) -> Input:
    item = load_input(input_id, current_user)
    return item


def conflict_response(item: Input, conflict: ConflictError, typed: Typed | None = None) -> Any:
    """The page again (409) with what changed meanwhile beside what the reviewer typed.

    The request was rolled back already (by the blueprint's refusal handler).
    """
    db.session.refresh(item)
    for form in (typed or Typed()).forms():
        if form is not None and hasattr(form, "version"):
            # Saving again applies the typed text over the newer version, knowingly.
            form.version.data = item.version
    return render_input_page(item, typed, conflict=conflict, status=409)
