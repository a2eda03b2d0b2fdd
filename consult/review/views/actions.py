"""What a reviewer does from the review page: claim, correct, redact, decide, merge."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consult.access import load_input, parse_uuid, requires
from consult.auth.roles import Role
from consult.extensions import db
from consult.review import services
from consult.review.forms import DecisionForm, FeedbackForm, MergeForm, ReviewEditForm, VersionForm
from consult.review.services import DECLINE_REASONS, ConflictError, ReviewError
from consult.review.views.blueprint import bp
from consult.review.views.input_page import (
    conflict_response,
    edit_choices,
    load_for_action,
    render_input_page,
)


def _refused(
    item: Any,
    error: ReviewError,
    fields: dict[str, Any],
    *,
    shown_elsewhere: bool = False,
    **page: Any,
) -> Any:
    """The review page again (400) with a refused action's messages next to its fields.

    Nothing of the refused action is kept. A refusal about no particular field
    is shown at the top of the page, unless the page shows it elsewhere.
    """
    db.session.rollback()
    for name, messages in error.fields.items():
        target = fields.get(name)
        if target is not None:
            target.errors = list(target.errors or []) + messages
    top = None if error.fields or shown_elsewhere else error.message
    return render_input_page(item, error=top, status=400, **page)


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
    try:
        action(current_user, item, version=form.version.data)
    except ConflictError as conflict:
        return conflict_response(item, conflict)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.input", input_id=item.id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/edit", methods=["POST"])
@requires("review")
def edit(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = ReviewEditForm()
    edit_choices(form, item)
    rec_values = {
        rec.id: request.form.get(f"rec-{rec.id}", rec.effective_text)
        for rec in item.recommendations
    }
    if not form.validate():
        return render_input_page(item, edit_form=form, rec_values=rec_values, status=400)
    countries = [form.main_country.data] + [
        c for c in form.other_countries.data or [] if c != form.main_country.data
    ]
    try:
        changed = services.update_review(
            current_user,
            item,
            version=form.version.data,
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
    except ConflictError as conflict:
        return conflict_response(item, conflict, edit_form=form, rec_values=rec_values)
    except ReviewError as error:
        rec_errors = error.fields.pop("recommendations", [])
        fields = {field.name: field for field in form} | {"countries": form.main_country}
        return _refused(
            item,
            error,
            fields,
            shown_elsewhere=bool(rec_errors),
            edit_form=form,
            rec_values=rec_values,
            rec_errors=rec_errors,
        )
    db.session.commit()
    flash(_("Your changes are saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/identifiers", methods=["POST"])
@requires("review")
def redact_identifiers(input_id: str) -> Any:
    """Redact the identifiers the reviewer ticked on the page."""
    item = load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        count = services.redact_identifiers(
            current_user, item, request.form.getlist("redact"), version=form.version.data
        )
    except ConflictError as conflict:
        return conflict_response(item, conflict)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.input", input_id=item.id) + "#identifiers")
    db.session.commit()
    flash(
        ngettext("%(num)d identifier redacted.", "%(num)d identifiers redacted.", count), "success"
    )
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/decide", methods=["POST"])
@requires("review")
def decide(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = DecisionForm()
    form.reason.choices = [(slug, str(label)) for slug, label in DECLINE_REASONS.items()]
    action = form.action.data
    if action not in services.DECISIONS:
        abort(400)
    if not form.validate():
        return render_input_page(item, decision_form=form, decision_action=action, status=400)
    message_field = {
        "forward": form.hq_note,
        "return": form.question,
        "decline": form.explanation,
    }[action]
    try:
        services.decide(
            current_user,
            item,
            action,
            message_field.data,
            version=form.version.data,
            reason=form.reason.data or None,
        )
    except ConflictError as conflict:
        return conflict_response(item, conflict, decision_form=form, decision_action=action)
    except ReviewError as error:
        # A missing reason is the first thing to fix; the message waits for it.
        fields = {"reason": form.reason} if "reason" in error.fields else {"message": message_field}
        return _refused(item, error, fields, decision_form=form, decision_action=action)
    db.session.commit()
    done = {
        "forward": _("Forwarded to HQ.")
        if current_user.role == Role.MODERATOR
        else _("Accepted for HQ digests."),
        "return": _("Returned to the CSO with your question."),
        "decline": _("Declined; the CSO sees your reason."),
    }[action]
    flash(done, "success")
    return redirect(url_for("review.queue"))


@bp.route("/inputs/<input_id>/merge", methods=["POST"])
@requires("review")
def merge(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = MergeForm()
    form.target.choices = []
    if not form.validate():
        return render_input_page(item, merge_form=form, status=400)
    target = load_input(parse_uuid(form.target.data), current_user)
    try:
        services.merge(current_user, item, target, version=form.version.data)
    except ConflictError as conflict:
        return conflict_response(item, conflict, merge_form=form)
    except ReviewError as error:
        return _refused(item, error, {"target": form.target}, merge_form=form)
    db.session.commit()
    flash(_("Marked as a duplicate."), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/feedback", methods=["POST"])
@requires("record_hq_feedback")
def feedback(input_id: str) -> Any:
    item = load_for_action(input_id)
    form = FeedbackForm()
    if not form.validate():
        return render_input_page(item, feedback_form=form, status=400)
    try:
        services.record_hq_feedback(current_user, item, form.note.data, version=form.version.data)
    except ConflictError as conflict:
        return conflict_response(item, conflict, feedback_form=form)
    except ReviewError as error:
        return _refused(item, error, {"note": form.note}, feedback_form=form)
    db.session.commit()
    flash(_("Your note is saved; the CSO sees it."), "success")
    return redirect(url_for("review.input", input_id=item.id))
