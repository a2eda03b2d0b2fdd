"""Review pages: the queues, the review page of an input, its actions, the sealed original.

Views parse the request, call :mod:`consult.review.services`, commit and
render (or redirect). Every page that shows an input to EU staff records
an audit event; nothing here ever shows an HQ-direct input's organisation
to delegation staff (:func:`consult.access.may_see_organisation`).
"""

from __future__ import annotations

import difflib
import uuid
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from consult.access import (
    can_see_input,
    load_attachment,
    load_input,
    may_see_organisation,
    parse_uuid,
    requires,
)
from consult.audit.services import record
from consult.auth.roles import Role
from consult.extensions import db
from consult.identifiers import Finding, known_identifiers
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Country, InputType, Priority, Theme
from consult.review import services
from consult.review.forms import DecisionForm, FeedbackForm, MergeForm, ReviewEditForm, VersionForm
from consult.review.queue import ALL, OPEN, QueueFilterError, queue_page
from consult.review.services import (
    DECLINE_REASONS,
    ConflictError,
    ReviewError,
    can_review,
    describe_event,
)
from consult.submissions.models import Input
from consult.submissions.states import (
    FORWARDED_STATUSES,
    OPEN_FOR_REVIEW,
    STATUS_LABELS,
    Status,
)

bp = Blueprint("review", __name__, url_prefix="/review")

#: Status names as EU staff read them: the CSO-facing "Returned to you" would
#: tell a moderator the input came back to *them*.
STAFF_STATUS_LABELS: dict[Status, Any] = {
    **STATUS_LABELS,
    Status.RETURNED: _l("Returned to the CSO"),
}


@bp.app_template_filter("staff_status_label")
def staff_status_label(value: str) -> str:
    try:
        return str(STAFF_STATUS_LABELS[Status(value)])
    except ValueError:
        return value


# --- queues ---------------------------------------------------------------


@bp.route("/queue")
@requires("review")
def queue() -> str:
    """The caller's queue: their delegation's for moderators, HQ's for HQ analysts."""
    kind = "delegation" if current_user.role == Role.MODERATOR else "hq"
    return _render_queue(kind)


@bp.route("/forwarded")
@requires("review_hq_queue")
def forwarded() -> str:
    """HQ: every forwarded input, from delegations and from the HQ queue."""
    return _render_queue("forwarded")


def _render_queue(kind: str) -> str:
    try:
        page = queue_page(current_user, request.args, after=request.args.get("after"), kind=kind)
    except QueueFilterError:
        abort(404)
    if kind == "delegation":
        delegation = current_user.delegation
        title = _("Review queue: %(name)s", name=delegation.name if delegation else "")
    elif kind == "hq":
        title = _("HQ queue")
    else:
        title = _("Forwarded inputs")
    endpoint = "review.forwarded" if kind == "forwarded" else "review.queue"
    status_choices = [] if kind == "forwarded" else [(OPEN, _("Open (submitted or in review)"))]
    status_choices += [(ALL, _("All"))]
    status_choices += [(s, staff_status_label(s)) for s in page.scope.statuses]
    return render_template(
        "review/queue.html",
        page=page,
        kind=kind,
        title=title,
        endpoint=endpoint,
        status_choices=status_choices,
        may_see_organisation=may_see_organisation,
        can_bulk=kind != "forwarded",
        open_statuses=OPEN_FOR_REVIEW,
    )


@bp.route("/bulk-forward", methods=["POST"])
@requires("review")
def bulk_forward() -> Response:
    """Forward the inputs ticked in the queue (each carries the version shown)."""
    items: list[Input] = []
    versions: dict[uuid.UUID, int] = {}
    for value in request.form.getlist("selected"):
        ident, _sep, version = value.partition(":")
        item = load_input(ident, current_user)
        if not can_review(current_user, item):
            abort(404)
        items.append(item)
        if version.isdigit():
            versions[item.id] = int(version)
    back = _queue_return_url()
    if not items:
        flash(_("Tick the inputs to forward first."), "error")
        return redirect(back)
    result = services.bulk_forward(current_user, items, versions)
    db.session.commit()
    if result.forwarded:
        flash(
            _("%(n)s input(s) forwarded to HQ.", n=len(result.forwarded)),
            "success",
        )
    for item, reason in result.skipped:
        flash(
            _(
                "Not forwarded: \u201c%(title)s\u201d (%(reason)s).",
                title=item.effective_title,
                reason=reason,
            ),
            "error",
        )
    return redirect(back)


def _queue_return_url() -> str:
    back = request.form.get("return_to") or ""
    if back.startswith("/review/") and "//" not in back and "\\" not in back:
        return back
    return url_for("review.queue")


# --- the review page --------------------------------------------------------


@bp.route("/inputs/<input_id>", endpoint="input")
@requires("review")
def show_input(input_id: str) -> str:
    item = load_input(input_id, current_user)
    return _render_input(item)


def _render_input(
    item: Input,
    *,
    edit_form: ReviewEditForm | None = None,
    decision_form: DecisionForm | None = None,
    decision_action: str | None = None,
    merge_form: MergeForm | None = None,
    feedback_form: FeedbackForm | None = None,
    conflict: ConflictError | None = None,
    rec_values: dict[int, str] | None = None,
    rec_errors: list[str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Any:
    user = current_user
    reviewer = can_review(user, item)
    is_open = item.status in OPEN_FOR_REVIEW
    can_act = reviewer and is_open
    edit_typed = edit_form is not None
    if edit_form is None:
        edit_form = _edit_form_for(item)
    _edit_choices(edit_form, item)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None, version=item.version)
    decision_form.reason.choices = [("", _("Choose a reason"))] + [
        (slug, str(label)) for slug, label in DECLINE_REASONS.items()
    ]
    candidates = services.merge_candidates(user, item) if reviewer else []
    if merge_form is None:
        merge_form = MergeForm(formdata=None, version=item.version)
    merge_form.target.choices = [("", _("Choose the input it duplicates"))] + [
        (str(c.id), f"{c.effective_title} ({c.submitted_at:%d %b %Y})") for c in candidates
    ]
    if feedback_form is None:
        feedback_form = FeedbackForm(formdata=None, version=item.version, note=item.hq_feedback)
    known = known_identifiers()
    findings = services.identifier_findings(item, known)
    show_org = may_see_organisation(user, item)
    duplicates = [
        d
        for d in db.session.scalars(select(Input).where(Input.merged_into_id == item.id))
        if can_see_input(user, d)
    ]
    text_diffs = _text_diffs(item, edit_form, rec_values) if conflict else []
    record("input.viewed", user, item)
    html = render_template(
        "review/input.html",
        item=item,
        reviewer=reviewer,
        can_act=can_act,
        is_holder=item.claimed_by_id == user.id,
        show_org=show_org,
        actor_label=lambda event: _actor_label(event, show_org),
        describe_event=describe_event,
        edit_form=edit_form,
        edit_typed=edit_typed,
        version_form=VersionForm(formdata=None, version=item.version),
        decision_form=decision_form,
        decision_action=decision_action,
        merge_form=merge_form,
        has_candidates=bool(candidates),
        feedback_form=feedback_form,
        can_feedback=user.role == Role.HQ and item.status in FORWARDED_STATUSES,
        findings=findings,
        segments=_segments,
        rec_values=rec_values or {},
        rec_errors=rec_errors or [],
        conflict=conflict,
        text_diffs=text_diffs,
        error=error,
        duplicates=duplicates,
        merged_into_visible=item.merged_into is not None and can_see_input(user, item.merged_into),
        language_name=dict(INPUT_LANGUAGES).get(item.language or "", item.language),
    )
    db.session.commit()
    return html, status


def _actor_label(event: Any, show_org: bool) -> str:
    actor = event.actor
    if actor is None:
        return _("someone")
    if actor.role == Role.CSO:
        if show_org and actor.organisation is not None:
            return _("the CSO (%(name)s)", name=actor.organisation.name)
        return _("the CSO")
    return actor.display_name


def _segments(text: str, found: list[Finding], name: str) -> list[tuple[str, str | None]]:
    """``text`` split into plain parts and marked identifiers (with an anchor id)."""
    parts: list[tuple[str, str | None]] = []
    cursor = 0
    for index, finding in enumerate(found):
        parts.append((text[cursor : finding.start], None))
        parts.append((text[finding.start : finding.end], f"mark-{name}-{index}"))
        cursor = finding.end
    parts.append((text[cursor:], None))
    return [p for p in parts if p[0]]


def _edit_form_for(item: Input) -> ReviewEditForm:
    codes = item.country_codes
    return ReviewEditForm(
        formdata=None,
        version=item.version,
        priority=item.priority_slug,
        input_type=item.type_slug,
        main_country=codes[0] if codes else "",
        other_countries=codes[1:],
        themes=[t.slug for t in item.themes],
        moderator_summary=item.moderator_summary or "",
        reviewed_title=item.effective_title,
        reviewed_body=item.effective_body,
    )


def _edit_choices(form: ReviewEditForm, item: Input) -> None:
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
    if current_user.role == Role.MODERATOR:
        main = [c for c in countries if c.delegation_slug == current_user.delegation_slug]
    else:
        main = list(countries)
    form.main_country.choices = [(c.code, c.name) for c in main]
    form.other_countries.choices = [(c.code, c.name) for c in countries]
    form.themes.choices = [
        (t.slug, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.position))
    ]


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


def _load_for_action(input_id: str) -> Input:
    item = load_input(input_id, current_user)
    return item


def _conflict_response(item: Input, conflict: ConflictError, **forms: Any) -> Any:
    if not conflict.rolled_back:
        db.session.rollback()
    db.session.refresh(item)
    for form in forms.values():
        if form is not None and hasattr(form, "version"):
            # Saving again applies the typed text over the newer version, knowingly.
            form.version.data = item.version
    return _render_input(item, conflict=conflict, status=409, **forms)


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
    item = _load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        action(current_user, item, version=form.version.data)
    except ConflictError as conflict:
        return _conflict_response(item, conflict)
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
    item = _load_for_action(input_id)
    form = ReviewEditForm()
    _edit_choices(form, item)
    rec_values = {
        rec.id: request.form.get(f"rec-{rec.id}", rec.effective_text)
        for rec in item.recommendations
    }
    if not form.validate():
        return _render_input(item, edit_form=form, rec_values=rec_values, status=400)
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
            moderator_summary=form.moderator_summary.data,
            reviewed_title=form.reviewed_title.data,
            reviewed_body=form.reviewed_body.data,
            recommendation_texts=rec_values,
            passages=(form.passages.data or "").splitlines(),
        )
    except ConflictError as conflict:
        return _conflict_response(item, conflict, edit_form=form, rec_values=rec_values)
    except ReviewError as error:
        db.session.rollback()
        field_names = {"countries": "main_country", "input_type": "input_type"}
        rec_errors = error.fields.pop("recommendations", [])
        for name, messages in error.fields.items():
            target = getattr(form, field_names.get(name, name), None)
            if target is not None:
                target.errors = list(target.errors or []) + messages
        return _render_input(
            item,
            edit_form=form,
            rec_values=rec_values,
            rec_errors=rec_errors,
            error=None if error.fields or rec_errors else error.message,
            status=400,
        )
    db.session.commit()
    flash(_("Your changes are saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/identifiers", methods=["POST"])
@requires("review")
def redact_identifiers(input_id: str) -> Any:
    """Redact the identifiers the reviewer ticked on the page."""
    item = _load_for_action(input_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    try:
        count = services.redact_identifiers(
            current_user, item, request.form.getlist("redact"), version=form.version.data
        )
    except ConflictError as conflict:
        return _conflict_response(item, conflict)
    except ReviewError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("review.input", input_id=item.id) + "#identifiers")
    db.session.commit()
    flash(_("%(n)s identifier(s) redacted.", n=count), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/decide", methods=["POST"])
@requires("review")
def decide(input_id: str) -> Any:
    item = _load_for_action(input_id)
    form = DecisionForm()
    form.reason.choices = [(slug, str(label)) for slug, label in DECLINE_REASONS.items()]
    action = form.action.data
    if action not in services.DECISIONS:
        abort(400)
    if not form.validate():
        return _render_input(item, decision_form=form, decision_action=action, status=400)
    message = {
        "forward": form.hq_note.data,
        "return": form.question.data,
        "decline": form.explanation.data,
    }[action]
    try:
        services.decide(
            current_user,
            item,
            action,
            message,
            version=form.version.data,
            reason=form.reason.data or None,
        )
    except ConflictError as conflict:
        return _conflict_response(item, conflict, decision_form=form, decision_action=action)
    except ReviewError as error:
        db.session.rollback()
        target = {"forward": form.hq_note, "return": form.question, "decline": form.explanation}[
            action
        ]
        if "reason" in error.fields:
            form.reason.errors = list(form.reason.errors or []) + error.fields["reason"]
        elif "message" in error.fields:
            target.errors = list(target.errors or []) + error.fields["message"]
        return _render_input(
            item,
            decision_form=form,
            decision_action=action,
            error=None if error.fields else error.message,
            status=400,
        )
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
    item = _load_for_action(input_id)
    form = MergeForm()
    form.target.choices = []
    if not form.validate():
        return _render_input(item, merge_form=form, status=400)
    target = load_input(parse_uuid(form.target.data), current_user)
    try:
        services.merge(current_user, item, target, version=form.version.data)
    except ConflictError as conflict:
        return _conflict_response(item, conflict, merge_form=form)
    except ReviewError as error:
        db.session.rollback()
        if "target" in error.fields:
            form.target.errors = error.fields["target"]
        return _render_input(
            item, merge_form=form, error=None if error.fields else error.message, status=400
        )
    db.session.commit()
    flash(_("Marked as a duplicate."), "success")
    return redirect(url_for("review.input", input_id=item.id))


@bp.route("/inputs/<input_id>/feedback", methods=["POST"])
@requires("record_hq_feedback")
def feedback(input_id: str) -> Any:
    item = _load_for_action(input_id)
    form = FeedbackForm()
    if not form.validate():
        return _render_input(item, feedback_form=form, status=400)
    try:
        services.record_hq_feedback(current_user, item, form.note.data, version=form.version.data)
    except ConflictError as conflict:
        return _conflict_response(item, conflict, feedback_form=form)
    except ReviewError as error:
        db.session.rollback()
        if "note" in error.fields:
            form.note.errors = error.fields["note"]
        return _render_input(
            item, feedback_form=form, error=None if error.fields else error.message, status=400
        )
    db.session.commit()
    flash(_("Your note is saved; the CSO sees it."), "success")
    return redirect(url_for("review.input", input_id=item.id))


# --- the sealed original and attachments ----------------------------------------


@bp.route("/inputs/<input_id>/original")
@requires("view_sealed_original")
def original(input_id: str) -> str:
    """The CSO's text as submitted, before any redaction (admins; every view audited)."""
    item = load_input(input_id, current_user)
    record("input.original_viewed", current_user, item)
    html = render_template("review/original.html", item=item)
    db.session.commit()
    return html


@bp.route("/attachments/<attachment_id>")
@requires("review")
def attachment(attachment_id: str) -> Any:
    """An attachment of an input the reviewer may see (404 otherwise; each download audited)."""
    att = load_attachment(attachment_id, current_user)
    path = _attachment_file(att)
    if not path.is_file():
        abort(404)
    record("attachment.downloaded", current_user, att, input_id=str(att.input_id))
    db.session.commit()
    return send_file(
        path,
        mimetype=att.content_type,
        as_attachment=True,
        download_name=att.filename,
        max_age=0,
    )


def _attachment_file(att: Any) -> Path:
    try:
        from consult.submissions.attachments import attachment_path
    except ImportError:  # the submissions package stores files flat under UPLOAD_DIR
        return Path(current_app.config["UPLOAD_DIR"]) / att.storage_name
    return Path(attachment_path(att))
