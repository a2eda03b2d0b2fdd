"""What a reviewer does from the review page: claim, correct, redact, decide, merge.

Each view parses its form, says how a refusal is answered (:func:`_answer`),
calls the service and says what was done. A refusal raised by the service
reaches the blueprint's handler (:mod:`consult.actions`), which rolls back
and answers it as the view said; a success is committed after the view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.access import parse_uuid, requires
from consult.actions import answer_refusal
from consult.inputs.models import Input
from consult.inputs.scope import load_input, works_for_a_delegation
from consult.review import services
from consult.review.forms import DecisionForm, FeedbackForm, MergeForm, ReviewEditForm, VersionForm
from consult.review.services import DECLINE_REASONS, ConflictError, ReviewError
from consult.review.views.blueprint import bp
from consult.review.views.confirmation import render_confirmation
from consult.review.views.input_page import (
    Typed,
    conflict_response,
    edit_choices,
    load_for_action,
    render_input_page,
)

Fields = Callable[[ReviewError], dict[str, Any]]


def _answer(
    item: Input, typed: Typed | None = None, *, fields: Fields | None = None, anchor: str = ""
) -> None:
    """Say how this action answers a refusal.

    A conflict shows the newer version beside what was typed (409). A refusal
    shows the page again (400) with its messages next to the form fields that
    ``fields`` picks; without ``fields`` it is a message on the page, whose
    ``anchor`` the reviewer is sent back to.
    """

    def answer(error: Any) -> Any:
        if isinstance(error, ConflictError):
            return conflict_response(item, error, typed)
        if fields is None or not isinstance(error, ReviewError):
            flash(error.message, "error")
            return redirect(url_for("review.input", input_id=item.id) + anchor)
        return _refused(item, error, fields(error), typed or Typed())

    answer_refusal(answer)


def _refused(item: Input, error: ReviewError, fields: dict[str, Any], typed: Typed) -> Any:
    """The review page again (400) with a refused action's messages next to its fields.

    A refusal about no particular field is shown at the top of the page,
    unless the page shows it elsewhere (beside the recommendations).
    """
    for name, messages in error.fields.items():
        target = fields.get(name)
        if target is not None:
            target.errors = list(target.errors or []) + messages
    top = None if error.fields or typed.rec_errors else error.message
    return render_input_page(item, typed, error=top, status=400)


@bp.route("/inputs/<input_id>/claim", methods=["POST"])
@requires("review")
def claim(input_id: str) -> Any:
    return _claim_action(input_id, services.claim, _("You hold this input now."))


@bp.route("/inputs/<input_id>/release", methods=["POST"])
@requires("review")
def release(input_id: str) -> Any:
    return _claim_action(input_id, services.release, _("You released this input."))


@bp.route("/inputs/<input_id>/take-over", methods=["POST"])
@requires("review")
def take_over(input_id: str) -> Any:
    return _claim_action(input_id, services.take_over, _("You took this input over."))


def _claim_action(input_id: str, action: Any, done: str) -> Any:
    item = load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    _answer(item)
    action(current_user, item, version=form.version.data)
    flash(done, "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/edit", methods=["POST"])
@requires("review")
def edit(input_id: str) -> Any:
    item = load_for_action(input_id)
    form, rec_values = _typed_corrections(item)
    typed = Typed(edit_form=form, rec_values=rec_values)
    if not form.validate():
        return render_input_page(item, typed, status=400)
    _answer(item, typed, fields=_correction_fields(form, typed))
    changed = _apply_corrections(item, form, rec_values, version=form.version.data)
    flash(_("Your changes are saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("review.input", input_id=item.id))


def _typed_corrections(item: Input) -> tuple[ReviewEditForm, dict[int, str]]:
    form = ReviewEditForm()
    edit_choices(form, item)
    rec_values = {
        rec.id: request.form.get(f"rec-{rec.id}", rec.effective_text)
        for rec in item.recommendations
    }
    return form, rec_values


def _correction_fields(form: ReviewEditForm, typed: Typed) -> Fields:
    def fields(error: ReviewError) -> dict[str, Any]:
        typed.rec_errors = error.fields.pop("recommendations", [])
        return {field.name: field for field in form} | {"countries": form.main_country}

    return fields


def _apply_corrections(
    item: Input, form: ReviewEditForm, rec_values: dict[int, str], *, version: Any
) -> list[str]:
    countries = [form.main_country.data] + [
        c for c in form.other_countries.data or [] if c != form.main_country.data
    ]
    return services.update_review(
        current_user,
        item,
        version=version,
        priority_slug=form.priority.data,
        type_slug=form.input_type.data,
        country_codes=[c for c in countries if c],
        theme_slugs=form.themes.data or [],
        language=form.language.data or item.language,
        moderator_summary=form.moderator_summary.data,
        reviewed_title=form.reviewed_title.data,
        reviewed_body=form.reviewed_body.data,
        recommendation_texts=rec_values,
        passages=(form.passages.data or "").splitlines(),
    )


@bp.route("/inputs/<input_id>/identifiers", methods=["POST"])
@requires("review")
def redact_identifiers(input_id: str) -> Any:
    """Redact the identifiers the reviewer ticked on the page."""
    item = load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    _answer(item, anchor="#identifiers")
    count = services.redact_identifiers(
        current_user, item, request.form.getlist("redact"), version=form.version.data
    )
    flash(
        ngettext("%(num)d identifier redacted.", "%(num)d identifiers redacted.", count), "success"
    )
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/decide", methods=["POST"])
@requires("review")
def decide(input_id: str) -> Any:
    """A decision, with the corrections typed on the same page saved first.

    The review page is one form: a summary or redaction typed there and followed
    by Forward is saved with the decision, or nothing is (a refusal shows it all
    again). Return and decline are confirmed on a second page.
    """
    item = load_for_action(input_id)
    form = DecisionForm()
    form.reason.choices = [(slug, str(label)) for slug, label in DECLINE_REASONS.items()]
    action = form.action.data
    if action not in services.DECISIONS:
        abort(400)
    typed = Typed(decision_form=form, decision_action=action)
    if request.form.get("back"):
        # "No, back" on the confirmation page: the review page, with the text kept.
        return render_input_page(item, typed)
    corrections = _typed_corrections(item) if "reviewed_title" in request.form else None
    if corrections is not None:
        typed.edit_form, typed.rec_values = corrections
    if not form.validate() or (corrections is not None and not corrections[0].validate()):
        return render_input_page(item, typed, status=400)
    message_field = {
        "forward": form.hq_note,
        "return": form.question,
        "decline": form.explanation,
    }[action]

    def fields(error: ReviewError) -> dict[str, Any]:
        # A missing reason is the first thing to fix; the message waits for it.
        if "reason" in error.fields:
            return {"reason": form.reason}
        if "message" in error.fields or corrections is None:
            return {"message": message_field}
        return _correction_fields(corrections[0], typed)(error)

    _answer(item, typed, fields=fields)
    version = form.version.data
    saved = False
    if corrections is not None:
        saved = bool(_apply_corrections(item, *corrections, version=version))
        version = item.version
    reason = form.reason.data or None
    if action in services.CONFIRMED_DECISIONS and request.form.get("confirmed") != "yes":
        proposal = services.Proposal(action, message_field.data, reason)
        message = services.check_decision(current_user, item, proposal, version=version)
        return render_confirmation(item, action, message, reason, saved=saved)
    services.decide(current_user, item, action, message_field.data, version=version, reason=reason)
    done = {
        "forward": _("Forwarded to HQ.")
        if works_for_a_delegation(current_user)
        else _("Accepted for HQ digests."),
        "return": _("Returned to the CSO with your question."),
        "decline": _("Declined; the CSO sees your reason."),
    }[action]
    if saved:
        done = _("Your changes are saved.") + " " + done
    flash(done, "success")
    return redirect(url_for("review.queue"))


@bp.route("/inputs/<input_id>/merge", methods=["POST"])
@requires("review")
def merge(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = MergeForm()
    form.target.choices = []
    typed = Typed(merge_form=form)
    if not form.validate():
        return render_input_page(item, typed, status=400)
    target = load_input(parse_uuid(form.target.data), current_user)
    _answer(item, typed, fields=lambda error: {"target": form.target})
    services.merge(current_user, item, target, version=form.version.data)
    flash(_("Marked as a duplicate."), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/feedback", methods=["POST"])
@requires("record_hq_feedback")
def feedback(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = FeedbackForm()
    typed = Typed(feedback_form=form)
    if not form.validate():
        return render_input_page(item, typed, status=400)
    _answer(item, typed, fields=lambda error: {"note": form.note})
    services.record_hq_feedback(current_user, item, form.note.data, version=form.version.data)
    flash(_("Your note is saved; the CSO sees it."), "success")
    return redirect(url_for("review.input", input_id=item.id))
