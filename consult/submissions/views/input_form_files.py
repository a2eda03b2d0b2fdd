"""The files of the input form: storing the uploads, and each file's "Remove" button.

A "Remove" button is a submit button of the same form (no JavaScript): it
takes that file off and shows the form again as it was typed, saving nothing else.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from consult.access import deny
from consult.extensions import db
from consult.inputs.models import Consultation, Input
from consult.submissions import services
from consult.submissions.attachments import AttachmentError, store_attachment
from consult.submissions.forms import InputForm
from consult.submissions.views.input_form_page import render_form

#: The buttons of the input form that save, send or add a row. A "Remove" button
#: (``remove_attachment``) sent alone takes one file off and re-renders the form.
ACTION_BUTTONS = ("submit", "save_draft", "resubmit", "add_recommendation")


def files_to_choose_again(*, dropped: bool) -> list[str]:
    """The names of files a person chose that the server could not keep.

    A form posted after the session ended (or with an expired token) is shown
    again without saving anything, and a browser never fills a file field
    back in: those files must be chosen again. Their names travel with the form
    (``choose_again``) until they are chosen again, so nothing is sent without
    them by mistake. ``dropped``: this request's own files were not kept either.
    """
    carried = request.form.getlist("choose_again")
    posted = [f.filename for f in request.files.getlist("attachments") if f and f.filename]
    names = carried + posted if dropped else [n for n in carried if n not in posted]
    return list(dict.fromkeys(n[:255] for n in names if n))[:20]


def is_remove_click() -> bool:
    """A "Remove" button of one file was pressed (and no other button)."""
    return "remove_attachment" in request.form and not any(
        name in request.form for name in ACTION_BUTTONS
    )


def store_uploads(form: InputForm, item: Input | None) -> list[str]:
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


def remove_clicked(
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
    form.attachments.errors = store_uploads(form, item)
    return render_form(
        form,
        consultation,
        mode=mode,
        item=item,
        removal_notice=notice,
        removal_refusal=refusal,
        choose_again=files_to_choose_again(dropped=False),
    )


def remove_ticked(form: InputForm, item: Input | None) -> None:
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
