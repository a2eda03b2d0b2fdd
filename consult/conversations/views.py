"""The thread's routes: its page, posting a message, downloading a message's file."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.access import login_only, may
from consult.actions import answer_refusal, run_actions
from consult.audit.services import record
from consult.conversations.services import load_message_attachment, post_message
from consult.conversations.thread import build_thread
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.files import send_stored
from consult.inputs.scope import load_input, speaks_for_an_organisation
from consult.submissions.attachments import AttachmentError

bp = Blueprint("conversations", __name__)


def _refused(error: DomainError) -> Any:
    page = render_template(
        "errors/error.html", status=400, title=_("Not sent"), message=error.message
    )
    return page, 400


run_actions(bp, _refused)


def input_page_url(item: Any) -> str:
    """The reader's page of the input: the CSO's own page, or the review page.

    Administrators may read a thread but have no review page: theirs is the thread.
    """
    if speaks_for_an_organisation(current_user):
        return url_for("submissions.input_detail", input_id=item.id)
    if may(current_user, "review"):
        return url_for("review.input", input_id=item.id)
    return url_for("conversations.thread_page", input_id=item.id)


def _title(item: Any) -> str:
    """The input's title as the reader knows it: the CSO its own, EU staff the reviewed one."""
    return item.title if speaks_for_an_organisation(current_user) else item.effective_title


@bp.app_template_global("conversation")
def conversation(item: Any) -> Any:
    """The thread of ``item`` as the signed-in reader sees it (for the input pages)."""
    return build_thread(item, current_user)


@bp.route("/inputs/<input_id>/messages", methods=["GET"])
@login_only
def thread_page(input_id: str) -> str:
    item = load_input(input_id, current_user)
    if not speaks_for_an_organisation(current_user):
        # EU staff reading an input's thread is on record, like the review page.
        record("thread.viewed", current_user, item)
    return render_template(
        "conversations/thread.html",
        item=item,
        thread=build_thread(item, current_user),
        back=input_page_url(item),
        title=_title(item),
    )


@bp.route("/inputs/<input_id>/messages", methods=["POST"])
@login_only
def post(input_id: str) -> Any:
    item = load_input(input_id, current_user)
    body = request.form.get("body", "")
    question = request.form.get("question") == "yes"
    files = [
        (upload.stream, upload.filename)
        for upload in request.files.getlist("files")
        if upload and upload.filename
    ]

    def again(error: DomainError) -> Any:
        # The page again, with what was typed and the message beside the field.
        db.session.refresh(item)
        errors = error.fields or (
            {"files": [error.message]} if isinstance(error, AttachmentError) else {}
        )
        thread = build_thread(
            item,
            current_user,
            typed_body=body,
            typed_question=question,
            errors=errors,
            error=error.message,
        )
        page = render_template(
            "conversations/thread.html",
            item=item,
            thread=thread,
            back=input_page_url(item),
            title=_title(item),
        )
        return page, 400

    answer_refusal(again)
    post_message(current_user, item, body, question=question, files=files)
    return redirect(input_page_url(item) + "#thread")


@bp.route("/messages/files/<attachment_id>")
@login_only
def download(attachment_id: str) -> Response:
    attachment = load_message_attachment(attachment_id, current_user)
    response = send_stored(attachment)  # 404 before anything is audited when the file is gone
    record("message_attachment.downloaded", current_user, attachment)
    db.session.commit()
    return response
