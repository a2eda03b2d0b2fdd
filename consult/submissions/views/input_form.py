"""The input form: a new input, a draft edited, a returned input revised.

The form never loses what was typed. A failed validation re-renders it with
every value and the files already accepted (kept under the form's
``upload_key``); "Add a recommendation" adds a row and saves nothing but the
files. The steps of a new input (what it is about, the text beside its
questions, the review before sending) are in :mod:`.input_form_steps`.
A POST after the session ended, with an expired CSRF token or over the limit
is handled in :mod:`.input_form_rescue`; the files and their "Remove"
buttons in :mod:`.input_form_files`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from consult.actions import attempt
from consult.errors import DomainError
from consult.extensions import db
from consult.i18n import format_when
from consult.inputs.models import Consultation, Input
from consult.inputs.scope import load_input
from consult.inputs.states import Status
from consult.submissions import services
from consult.submissions.attachments import adopt_pending
from consult.submissions.forms import InputForm, add_errors, form_data
from consult.submissions.views.blueprint import bp, load_consultation
from consult.submissions.views.input_form_files import (
    files_to_choose_again,
    is_remove_click,
    remove_clicked,
    remove_ticked,
    store_uploads,
)
from consult.submissions.views.input_form_page import ensure_tokens, render_form
from consult.submissions.views.input_form_rescue import input_form_view
from consult.submissions.views.input_form_steps import (
    first_step,
    is_back_to_form,
    render_review,
)


def _after_saved(item: Input, form: InputForm) -> None:
    adopt_pending(item, form.upload_key.data)


def _is_autosave(action: str) -> bool:
    """A draft saved by the form's script (``static/autosave.js``), answered in JSON."""
    return action == "draft" and request.headers.get("X-Autosave") == "1"


def _action(form: InputForm, mode: str) -> str:
    """What a press of the form's buttons asks for: "draft", "submit" or "resubmit"."""
    if mode == "revise":
        return "resubmit"
    return "submit" if form.submit.data or form.review.data else "draft"


def _save(action: str, form: InputForm, data: Any, item: Input | None) -> Input:
    key = form.form_token.data
    if action == "draft":
        saved = services.save_draft(current_user, data, item, idempotency_key=key)
    elif action == "submit":
        saved = services.submit_input(current_user, data, item, idempotency_key=key)
    else:
        saved = services.resubmit(current_user, item, data)
    _after_saved(saved, form)
    return saved


def _form_again(form: InputForm, consultation: Consultation, **kwargs: Any) -> Any:
    """Only the form again was asked for (a row added, "Edit", the questions of a priority).

    No errors yet and nothing saved but the files.
    """
    if form.add_recommendation.data and not form.add_recommendation_row():
        flash(_("An input can have at most 20 recommendations."), "warning")
    for field in form:
        if field.name != "attachments" and isinstance(field.errors, list):
            field.errors = []
    return render_form(form, consultation, **kwargs)


def _handle_form(consultation: Consultation, *, mode: str, item: Input | None = None) -> Any:
    """Show and process the input form (new input, draft, revision of a returned input).

    The blueprint's runner (:mod:`consult.actions`) commits a success once; a
    refusal of the service comes back as a value and is shown beside the fields.
    """
    if request.method == "GET":
        if item is None:
            return first_step(consultation)
        form = InputForm(formdata=None, data=form_data(services.data_from_input(item)))
        form.setup(consultation)
        ensure_tokens(form)
        return render_form(form, consultation, mode=mode, item=item)

    form = InputForm().setup(consultation)
    ensure_tokens(form)
    if is_remove_click():
        return remove_clicked(form, consultation, mode=mode, item=item)
    remove_ticked(form, item)
    valid = form.validate()
    form.attachments.errors = list(form.attachments.errors or [])
    form.attachments.errors.extend(store_uploads(form, item))
    choose_again = files_to_choose_again(dropped=False)
    if form.add_recommendation.data or is_back_to_form():
        return _form_again(form, consultation, mode=mode, item=item, choose_again=choose_again)

    action = _action(form, mode)
    data = form.to_data(consultation)
    problems = services.validate(data.cleaned(), complete=action != "draft")
    messages = add_errors(form, problems)
    if choose_again and action != "draft":
        # Files lost with an ended session are asked for before anything is sent.
        form.attachments.errors.append(
            _("Choose these files again before sending (or save a draft without them): %(names)s.")
            % {"names": ", ".join(choose_again)}
        )
    if not valid or problems or form.attachments.errors:
        db.session.rollback()
        if _is_autosave(action):
            return jsonify(saved=False), 400
        return render_form(
            form,
            consultation,
            mode=mode,
            item=item,
            messages=messages,
            choose_again=choose_again,
            status=400,
        )
    if form.review.data:
        return render_review(form, consultation, mode=mode, item=item)

    try:
        saved = attempt(lambda: _save(action, form, data, item))
    except StaleDataError:
        # The same form was sent twice at once: the other request saved it.
        db.session.rollback()
        saved = db.session.scalar(
            select(Input).where(Input.idempotency_key == form.form_token.data)
        )
        if saved is None:
            raise
    if isinstance(saved, DomainError):
        if _is_autosave(action):
            return jsonify(saved=False), 400
        messages = add_errors(form, saved.fields)
        if not saved.fields:
            messages.setdefault("__all__", []).append(saved.message)
        return render_form(form, consultation, mode=mode, item=item, messages=messages, status=400)
    if _is_autosave(action):
        # The page's own script saved in the background: no page, no message to keep.
        url = url_for("submissions.edit_draft", input_id=saved.id)
        return jsonify(saved=True, url=url, time=format_when(saved.updated_at))
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


@bp.route("/consultations/<consultation_id>/inputs/new", methods=["GET", "POST"])
@input_form_view
def new_input(consultation_id: str) -> Any:
    consultation = load_consultation(consultation_id)
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
        if request.method == "POST" and is_remove_click() and not services.files_removable(item):
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
        if request.method == "POST" and is_remove_click() and not services.files_removable(item):
            flash(services.removal_refusal(item), "error")
        else:
            flash(
                _("This input is not waiting for a revision (it may already be resubmitted)."),
                "warning",
            )
        return redirect(url_for("submissions.input_detail", input_id=item.id))
    return _handle_form(item.consultation, mode="revise", item=item)
