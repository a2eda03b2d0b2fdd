"""What a CSO member sees: consultations, the input form, their organisation's inputs.

The input form never loses what was typed. A failed validation re-renders
it with every value and the files already accepted (kept under the form's
``upload_key``). A POST that arrives after the session ended, or with an
expired CSRF token, re-renders the same form from the posted values and asks
the person to sign in again (inline, on the form) or to confirm; nothing is
saved from such a request until it is confirmed. Each listed file has a
"Remove" button (a submit button of the same form, no JavaScript): it takes
that file off and shows the form again as it was typed, saving nothing else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
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
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from consult.access import (
    deny,
    load_attachment,
    load_input,
    login_only,
    may,
    parse_uuid,
    requires,
)
from consult.audit.services import record
from consult.extensions import db, limiter
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Priority
from consult.review.models import EventKind
from consult.submissions import services
from consult.submissions.attachments import (
    AttachmentError,
    adopt_pending,
    attachment_path,
    pending_attachments,
    store_attachment,
)
from consult.submissions.forms import (
    InputForm,
    add_errors,
    error_items,
    form_data,
    new_token,
    valid_token,
)
from consult.submissions.models import Attachment, Consultation, Input
from consult.submissions.states import (
    ATTRIBUTION_EXPLANATIONS,
    ATTRIBUTION_LABELS,
    Attribution,
    Status,
)
from consult.timeutil import utcnow

bp = Blueprint("submissions", __name__)

#: The endpoints that show the input form; a POST to them never loses its text.
FORM_ENDPOINTS = {"submissions.new_input", "submissions.edit_draft", "submissions.revise"}

#: The buttons of the input form that save, send or add a row. A "Remove" button
#: (``remove_attachment``) sent alone takes one file off and re-renders the form.
ACTION_BUTTONS = ("submit", "save_draft", "resubmit", "add_recommendation")

#: How the timeline names each event for the CSO (no staff names).
EVENT_LABELS = {
    EventKind.CREATED: _l("Created"),
    EventKind.SUBMITTED: _l("Submitted"),
    EventKind.RESUBMITTED: _l("Resubmitted after revision"),
    EventKind.WITHDRAWN: _l("Withdrawn by your organisation"),
    EventKind.CLAIMED: _l("A moderator started reviewing it"),
    EventKind.RELEASED: _l("Back in the review queue"),
    EventKind.TAKEN_OVER: _l("Another moderator continued the review"),
    EventKind.CORRECTED: _l("Details corrected during review"),
    EventKind.REDACTED: _l("Passages redacted to protect people"),
    EventKind.MERGED: _l("Combined with a similar input"),
    EventKind.FORWARDED: _l("Forwarded to EU headquarters"),
    EventKind.RETURNED: _l("Returned to you with a question"),
    EventKind.DECLINED: _l("Declined"),
    EventKind.USED: _l("Used by HQ"),
    EventKind.FILE_REMOVED: _l("An attached file was removed"),
}

MESSAGE_LABELS = {
    EventKind.RETURNED: _l("The moderator asks"),
    EventKind.DECLINED: _l("Reason"),
    EventKind.USED: _l("How HQ used it"),
}


# --------------------------------------------------------------------------- helpers


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _user_key() -> str:
    return "submit:" + (str(current_user.get_id()) if current_user.is_authenticated else "anon")


def _not_submitting() -> bool:
    return "submit" not in request.form and "resubmit" not in request.form


def _is_remove_click() -> bool:
    """A "Remove" button of one file was pressed (and no other button)."""
    return "remove_attachment" in request.form and not any(
        name in request.form for name in ACTION_BUTTONS
    )


def _not_signing_in() -> bool:
    return "reauth_password" not in request.form


def _load_consultation(consultation_id: str) -> Consultation:
    consultation = db.session.get(Consultation, parse_uuid(consultation_id))
    if consultation is None:
        abort(404)
    return consultation


def _org_id() -> uuid.UUID:
    return current_user.organisation_id


def _visible_events(item: Input) -> list:
    return [e for e in item.events if e.is_visible_to_cso]


def _questions_by_priority(consultation: Consultation) -> list[tuple[Priority, list[str]]]:
    groups: dict[str, list[str]] = {}
    for question in consultation.questions:
        groups.setdefault(question.priority_slug, []).append(question.text)
    priorities = db.session.scalars(select(Priority).order_by(Priority.position))
    return [(p, groups[p.slug]) for p in priorities if p.slug in groups]


def _ensure_tokens(form: InputForm) -> None:
    form.form_token.data = valid_token(form.form_token.data) or new_token()
    form.upload_key.data = valid_token(form.upload_key.data) or new_token()


def _render_form(
    form: InputForm,
    consultation: Consultation,
    *,
    mode: str,
    item: Input | None = None,
    messages: dict[str, list[str]] | None = None,
    rescue: str | None = None,
    signin_error: str | None = None,
    removal_notice: str | None = None,
    removal_refusal: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    messages = messages or {}
    attachments: list[Attachment] = []
    if current_user.is_authenticated and current_user.organisation_id is not None:
        if item is not None:
            attachments.extend(item.attachments)
        attachments.extend(pending_attachments(_org_id(), form.upload_key.data))
    verified = bool(
        current_user.is_authenticated
        and current_user.organisation is not None
        and current_user.organisation.is_verified
    )
    html = render_template(
        "submissions/form.html",
        form=form,
        consultation=consultation,
        item=item,
        mode=mode,
        messages=messages,
        summary=error_items(form, messages),
        attachments=attachments,
        removable={
            a.id for a in attachments if a.input_id is None or services.files_removable(item)
        },
        removal_notice=removal_notice,
        removal_refusal=removal_refusal,
        questions=_questions_by_priority(consultation),
        rescue=rescue,
        signin_error=signin_error,
        verified=verified,
        unverified_message=services.unverified_message(),
        explanations={a.value: ATTRIBUTION_EXPLANATIONS[a] for a in Attribution},
        max_files=current_app.config["MAX_ATTACHMENTS_PER_INPUT"],
        max_mb=current_app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024),
    )
    return html, status


def _store_uploads(form: InputForm, item: Input | None) -> list[str]:
    """Store each file sent with the form under its upload key; messages for refused ones."""
    errors: list[str] = []
    for upload in request.files.getlist(form.attachments.name):
        if not upload or not upload.filename:
            continue
        try:
            store_attachment(
                current_user,
                upload.stream,
                upload.filename,
                item=item,
                upload_key=form.upload_key.data,
            )
        except AttachmentError as exc:
            db.session.rollback()
            errors.append(f"{upload.filename}: {exc}")
        else:
            db.session.commit()
    return errors


def _remove_clicked(
    form: InputForm, consultation: Consultation, *, mode: str, item: Input | None
) -> tuple[str, int]:
    """One file's "Remove" button: take it off and show the form again, as it was typed.

    Nothing else is saved (files chosen meanwhile are kept pending, like any
    re-render) and nothing is validated. A file out of the person's reach is a 404.
    """
    attachment_id = request.form.get("remove_attachment", "")
    notice = refusal = None
    try:
        name = services.remove_attachment(
            current_user, attachment_id, item=item, upload_key=form.upload_key.data
        )
        db.session.commit()
    except services.AttachmentOutOfReach:
        deny(
            current_user,
            "attachment out of reach",
            object_type="attachments",
            object_id=attachment_id,
        )
    except services.SubmissionError as exc:
        db.session.rollback()
        refusal = exc.message
    except StaleDataError:
        db.session.rollback()
        refusal = _("The input changed meanwhile, so the file was not removed. Try again.")
    else:
        notice = _("%(name)s is removed.") % {"name": name}
    form.attachments.errors = _store_uploads(form, item)
    return _render_form(
        form,
        consultation,
        mode=mode,
        item=item,
        removal_notice=notice,
        removal_refusal=refusal,
    )


def _remove_ticked(form: InputForm, item: Input | None) -> None:
    """Files ticked for removal on a page that sent them with another button.

    Pages served before the "Remove" buttons had a checkbox per file; each
    ticked file goes through the same rules, and one out of reach is skipped.
    """
    for attachment_id in request.form.getlist("remove_attachment"):
        try:
            services.remove_attachment(
                current_user, attachment_id, item=item, upload_key=form.upload_key.data
            )
            db.session.commit()
        except (services.AttachmentOutOfReach, services.SubmissionError, StaleDataError):
            db.session.rollback()


def _after_saved(item: Input, form: InputForm) -> None:
    adopt_pending(item, form.upload_key.data)


def _handle_form(consultation: Consultation, *, mode: str, item: Input | None = None) -> Any:
    """Show and process the input form (new input, draft, revision of a returned input)."""
    if request.method == "GET":
        initial = form_data(services.data_from_input(item)) if item is not None else None
        form = InputForm(formdata=None, data=initial).setup(consultation)
        _ensure_tokens(form)
        return _render_form(form, consultation, mode=mode, item=item)

    form = InputForm().setup(consultation)
    _ensure_tokens(form)
    if _is_remove_click():
        return _remove_clicked(form, consultation, mode=mode, item=item)
    _remove_ticked(form, item)
    valid = form.validate()
    form.attachments.errors = list(form.attachments.errors or [])
    form.attachments.errors.extend(_store_uploads(form, item))

    if form.add_recommendation.data:
        if not form.add_recommendation_row():
            flash(_("An input can have at most 20 recommendations."), "warning")
        # Only the extra row was asked for: no errors yet, nothing saved but the files.
        for field in form:
            if field.name != "attachments" and isinstance(field.errors, list):
                field.errors = []
        return _render_form(form, consultation, mode=mode, item=item)

    if mode == "revise":
        action = "resubmit"
    elif form.submit.data:
        action = "submit"
    else:
        action = "draft"
    data = form.to_data(consultation)
    problems = services.validate(data.cleaned(), complete=action != "draft")
    messages = add_errors(form, problems)
    if not valid or problems or form.attachments.errors:
        db.session.rollback()
        return _render_form(form, consultation, mode=mode, item=item, messages=messages, status=400)

    key = form.form_token.data
    try:
        if action == "draft":
            saved = services.save_draft(current_user, data, item, idempotency_key=key)
        elif action == "submit":
            saved = services.submit_input(current_user, data, item, idempotency_key=key)
        else:
            saved = services.resubmit(current_user, item, data)
        _after_saved(saved, form)
        db.session.commit()
    except services.SubmissionError as exc:
        db.session.rollback()
        messages = add_errors(form, exc.fields)
        if not exc.fields:
            messages.setdefault("__all__", []).append(exc.message)
        return _render_form(form, consultation, mode=mode, item=item, messages=messages, status=400)
    except StaleDataError:
        # The same form was sent twice at once: the other request saved it.
        db.session.rollback()
        saved = db.session.scalar(select(Input).where(Input.idempotency_key == key))
        if saved is None:
            raise
    if action == "draft":
        flash(_("Draft saved. Only your organisation can see it; it is not sent yet."), "success")
        return redirect(url_for("submissions.edit_draft", input_id=saved.id))
    flash(
        (_("Your input is submitted.") if action == "submit" else _("Your revision is sent."))
        + " "
        + services.routing_sentence(saved),
        "success",
    )
    return redirect(url_for("submissions.input_detail", input_id=saved.id))


def _form_target() -> tuple[Consultation, Input | None, str]:
    """The consultation (and input) a form POST is about, for re-rendering it."""
    args = request.view_args or {}
    endpoint = request.endpoint
    if endpoint == "submissions.new_input":
        return _load_consultation(args.get("consultation_id", "")), None, "new"
    mode = "edit" if endpoint == "submissions.edit_draft" else "revise"
    if current_user.is_authenticated:
        item = load_input(args.get("input_id", ""), current_user)
    else:
        item = db.session.get(Input, parse_uuid(args.get("input_id", "")))
        if item is None:
            abort(404)
        # Nothing of the input is shown to a signed-out visitor but what they posted.
        return item.consultation, None, mode
    return item.consultation, item, mode


def _rescue(kind: str, signin_error: str | None = None) -> tuple[str, int]:
    """Re-render the posted form, keeping its text, without saving anything."""
    consultation, item, mode = _form_target()
    form = InputForm().setup(consultation)
    _ensure_tokens(form)
    if form.add_recommendation.data:
        form.add_recommendation_row()
    return _render_form(
        form,
        consultation,
        mode=mode,
        item=item,
        rescue=kind,
        signin_error=signin_error,
        status={"signin": 401, "limited": 429}.get(kind, 400),
    )


def keeps_text_when_signed_out(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a form POST arriving after the session ended keep its text.

    Signed out, the form comes back filled in with a sign-in box; posted again
    with a correct email and password, the person is signed in and the form is
    processed as if nothing had happened.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if request.method != "POST" or current_user.is_authenticated:
            return view(*args, **kwargs)
        email = (request.form.get("reauth_email") or "").strip()
        password = request.form.get("reauth_password") or ""
        if not email or not password:
            return _rescue("signin")
        from consult.auth import services as auth_services
        from consult.auth.session import begin_session
        from consult.auth.totp import requires_two_factor

        result = auth_services.authenticate(email, password)
        user = result.user if result.ok else None
        if user is None or requires_two_factor(user):
            db.session.commit()  # keep the audit record of a failed attempt
            message = (
                _("Your account uses two-step sign-in: sign in in another tab, then send again.")
                if user is not None
                else _("That email and password do not match an active account.")
            )
            return _rescue("signin", message)
        begin_session(user)
        auth_services.mark_logged_in(user)
        db.session.commit()
        return view(*args, **kwargs)

    # The session-timeout hook lets a POST to such a view through (signed out)
    # instead of redirecting it to the login page and losing it.
    wrapped.keeps_text_when_signed_out = True  # type: ignore[attr-defined]
    return wrapped


def input_form_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """The guards every view that saves the input form shares.

    CSO members only; a post after the session ended keeps its text; sending
    counts against the submission limit, signing in again on the form against
    the login limit.
    """
    view = limiter.limit(_login_limit, methods=["POST"], exempt_when=_not_signing_in)(view)
    view = limiter.limit(
        _submit_limit, key_func=_user_key, methods=["POST"], exempt_when=_not_submitting
    )(view)
    return keeps_text_when_signed_out(requires("submit_input")(view))


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> Any:
    if request.method == "POST" and request.endpoint in FORM_ENDPOINTS:
        try:
            if not current_user.is_authenticated:
                return _rescue("signin")
            if may(current_user, "submit_input"):
                return _rescue("confirm")
        except NotFound:
            return _error_page(404, _("Page not found"), _("There is nothing here."))
    return _error_page(
        400, _("Bad request"), _("The form expired. Go back, reload the page and send it again.")
    )


@bp.errorhandler(429)
def _too_many(exc: Exception) -> Any:
    if request.method == "POST" and request.endpoint in FORM_ENDPOINTS:
        try:
            return _rescue("limited")
        except NotFound:
            pass
    return _error_page(
        429,
        _("Too many attempts"),
        _("Too many requests in a short time. Wait a minute and try again."),
    )


def _error_page(status: int, title: str, message: str) -> tuple[str, int]:
    return (
        render_template("errors/error.html", status=status, title=title, message=message),
        status,
    )


# --------------------------------------------------------------------------- consultations


@bp.route("/consultations")
@requires("view_own_inputs")
def consultations() -> str:
    now = utcnow()
    rows = list(db.session.scalars(select(Consultation).order_by(Consultation.closes_at)))
    open_ = [c for c in rows if c.is_open_at(now)]
    closed = sorted(
        (c for c in rows if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True
    )
    upcoming = [c for c in rows if c.opens_at > now]
    return render_template(
        "submissions/consultations.html", open_=open_, closed=closed[:10], upcoming=upcoming
    )


@bp.route("/consultations/<consultation_id>")
@requires("view_own_inputs")
def consultation(consultation_id: str) -> str:
    item = _load_consultation(consultation_id)
    drafts = list(
        db.session.scalars(
            select(Input)
            .where(
                Input.consultation_id == item.id,
                Input.organisation_id == _org_id(),
                Input.status == Status.DRAFT,
            )
            .order_by(Input.updated_at.desc())
        )
    )
    return render_template(
        "submissions/consultation.html",
        consultation=item,
        questions=_questions_by_priority(item),
        drafts=drafts,
        now=utcnow(),
        unverified_message=services.unverified_message(),
    )


@bp.route("/consultations/<consultation_id>/inputs/new", methods=["GET", "POST"])
@input_form_view
def new_input(consultation_id: str) -> Any:
    consultation = _load_consultation(consultation_id)
    if request.method == "GET" and not consultation.is_open:
        flash(
            _("This consultation is not open, so it accepts no new inputs."),
            "warning",
        )
        return redirect(url_for("submissions.consultation", consultation_id=consultation.id))
    return _handle_form(consultation, mode="new")


@bp.route("/inputs/<input_id>/edit", methods=["GET", "POST"])
@input_form_view
def edit_draft(input_id: str) -> Any:
    item = load_input(input_id, current_user)
    if item.status != Status.DRAFT:
        if request.method == "POST" and _is_remove_click() and not services.files_removable(item):
            flash(services.removal_refusal(item), "error")
        return redirect(url_for("submissions.input_detail", input_id=item.id))
    if request.method == "GET" and not item.consultation.is_open:
        flash(
            _("This consultation is closed: your draft stays readable here but cannot be sent."),
            "warning",
        )
        return redirect(url_for("submissions.input_detail", input_id=item.id))
    return _handle_form(item.consultation, mode="edit", item=item)


@bp.route("/inputs/<input_id>/revise", methods=["GET", "POST"])
@input_form_view
def revise(input_id: str) -> Any:
    item = load_input(input_id, current_user)
    if item.status != Status.RETURNED:
        if request.method == "POST" and _is_remove_click() and not services.files_removable(item):
            flash(services.removal_refusal(item), "error")
        else:
            flash(
                _("This input is not waiting for a revision (it may already be resubmitted)."),
                "warning",
            )
        return redirect(url_for("submissions.input_detail", input_id=item.id))
    return _handle_form(item.consultation, mode="revise", item=item)


# --------------------------------------------------------------------------- our inputs


@bp.route("/my_inputs")
@requires("view_own_inputs")
def my_inputs() -> str:
    query = select(Input).where(Input.organisation_id == _org_id())
    consultation_filter = request.args.get("consultation") or ""
    status_filter = request.args.get("status") or ""
    if consultation_filter:
        try:
            query = query.where(Input.consultation_id == uuid.UUID(consultation_filter))
        except ValueError:
            consultation_filter = ""
    if status_filter in {s.value for s in Status}:
        query = query.where(Input.status == status_filter)
    else:
        status_filter = ""
    items = list(db.session.scalars(query.order_by(Input.updated_at.desc()).limit(500)))
    consultation_choices = list(
        db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc()))
    )
    return render_template(
        "submissions/my_inputs.html",
        items=items,
        consultation_choices=consultation_choices,
        consultation_filter=consultation_filter,
        status_filter=status_filter,
        statuses=list(Status),
        routing=services.routing_sentence,
    )


@bp.route("/inputs/<input_id>")
@requires("view_own_inputs")
def input_detail(input_id: str) -> str:
    item = load_input(input_id, current_user)
    return render_template(
        "submissions/input.html",
        item=item,
        events=_visible_events(item),
        event_labels=EVENT_LABELS,
        message_labels=MESSAGE_LABELS,
        routing=services.routing_sentence(item) if item.routed_to else None,
        can_withdraw=services.can_withdraw(item),
        language=dict(INPUT_LANGUAGES).get(item.language, item.language),
        attribution_label=ATTRIBUTION_LABELS.get(Attribution(item.attribution), item.attribution),
        attribution_explanation=ATTRIBUTION_EXPLANATIONS.get(Attribution(item.attribution), ""),
    )


@bp.route("/inputs/<input_id>/withdraw", methods=["POST"])
@requires("submit_input")
def withdraw(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    try:
        services.withdraw(current_user, item)
        db.session.commit()
    except (services.SubmissionError, StaleDataError) as exc:
        db.session.rollback()
        message = (
            exc.message
            if isinstance(exc, services.SubmissionError)
            else _("The input changed meanwhile; it was not withdrawn.")
        )
        flash(message, "error")
    else:
        flash(_("Your input is withdrawn. It will not be reviewed."), "success")
    return redirect(url_for("submissions.input_detail", input_id=input_id))


@bp.route("/inputs/<input_id>/delete", methods=["POST"])
@requires("submit_input")
def delete_draft(input_id: str) -> Response:
    item = load_input(input_id, current_user)
    try:
        services.delete_draft(current_user, item)
        db.session.commit()
    except services.SubmissionError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("submissions.input_detail", input_id=input_id))
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("submissions.my_inputs"))


@bp.route("/attachments/<attachment_id>")
@login_only
def download_attachment(attachment_id: str) -> Response:
    """Stream an attachment as a download to a user allowed to see its input."""
    attachment = load_attachment(attachment_id, current_user)
    path = attachment_path(attachment)
    if not path.is_file():
        abort(404)
    record("attachment_downloaded", current_user, attachment, input_id=str(attachment.input_id))
    db.session.commit()
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
