"""The input form page as shown: its values, its files, its messages, its one-time tokens."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user

from consult.i18n import current_locale
from consult.inputs.consultation_texts import local_text
from consult.inputs.models import Attachment, Consultation, Input
from consult.inputs.states import ATTRIBUTION_EXPLANATIONS, Attribution
from consult.submissions import services
from consult.submissions.attachments import pending_attachments
from consult.submissions.forms import InputForm, error_items, new_token, valid_token
from consult.submissions.views.blueprint import org_id


def ensure_tokens(form: InputForm) -> None:
    form.form_token.data = valid_token(form.form_token.data) or new_token()
    form.upload_key.data = valid_token(form.upload_key.data) or new_token()


def form_attachments(form: InputForm, item: Input | None) -> list[Attachment]:
    """The files of the form: the input's own, then those pending under its upload key."""
    attachments: list[Attachment] = []
    if current_user.is_authenticated and current_user.organisation_id is not None:
        if item is not None:
            attachments.extend(item.attachments)
        attachments.extend(pending_attachments(org_id(), form.upload_key.data))
    return attachments


def render_form(
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
    choose_again: list[str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    messages = messages or {}
    attachments = form_attachments(form, item)
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
        choose_again=choose_again or [],
        questions=local_text(consultation, current_locale()).questions,
        rescue=rescue,
        signin_error=signin_error,
        verified=verified,
        unverified_message=services.unverified_message(),
        explanations={a.value: ATTRIBUTION_EXPLANATIONS[a] for a in Attribution},
        max_files=current_app.config["MAX_ATTACHMENTS_PER_INPUT"],
        max_mb=current_app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024),
    )
    return html, status
