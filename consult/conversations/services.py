"""Reading and writing an input's thread: who may, what is checked, what is recorded.

The thread is scoped exactly like its input (:func:`consult.inputs.scope.can_see_input`):
whoever may see the input may read its thread, and nobody else learns it
exists. Writing is for the two sides of the conversation: the members of
the input's organisation, and its reviewers (the delegation's moderators,
or HQ for HQ-routed inputs). Posting never touches the input itself, so its
status, version and place in the queue stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.access import deny, parse_uuid
from consult.audit.services import record
from consult.conversations.models import CSO_SIDE, REVIEWER_SIDE, Message, MessageAttachment
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.models import MESSAGE_MAX, Input
from consult.inputs.scope import can_see_input, speaks_for_an_organisation
from consult.inputs.states import Status
from consult.review.rules import can_review
from consult.submissions.attachments import clean_and_write

#: Files one message may carry.
MAX_MESSAGE_FILES = 3


class MessageError(DomainError):
    """A message that cannot be sent; ``fields`` says which part of the form is wrong."""


def side_of(user: Any, item: Input) -> str | None:
    """The side ``user`` writes for in ``item``'s thread, or None (a reader only, or nobody)."""
    if not can_see_input(user, item) or item.status == Status.DRAFT:
        return None
    if speaks_for_an_organisation(user):
        return CSO_SIDE
    if can_review(user, item):
        return REVIEWER_SIDE
    return None


def thread_of(item: Input) -> list[Message]:
    """The messages of ``item``, oldest first (the caller checked the scope)."""
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.input_id == item.id)
            .order_by(Message.created_at, Message.id)
        )
    )


def open_question(messages: Iterable[Message]) -> Message | None:
    """The reviewers' question still waiting for the CSO: no CSO message came after it."""
    waiting = None
    for message in messages:
        if message.side == CSO_SIDE:
            waiting = None
        elif message.is_question:
            waiting = message
    return waiting


def post_message(
    user: Any,
    item: Input,
    body: str | None,
    *,
    question: bool = False,
    files: Iterable[tuple[IO[bytes], str | None]] = (),
) -> Message:
    """Add ``user``'s message (and files) to ``item``'s thread; the caller commits.

    Raises :class:`MessageError` for an empty or too long text, too many
    files, or a writer who is not on either side; a file that cannot be
    accepted raises the attachments' own refusal, with its message.
    """
    side = side_of(user, item)
    if side is None:
        raise MessageError(_("You cannot write in this input's thread."))
    text = (body or "").replace("\r\n", "\n").strip()
    files = list(files)
    if not text:
        raise MessageError(
            _("Write a message before sending it."), fields={"body": [_("Write a message.")]}
        )
    if len(text) > MESSAGE_MAX:
        message = _("A message may be at most %(n)d characters.", n=MESSAGE_MAX)
        raise MessageError(message, fields={"body": [message]})
    if len(files) > MAX_MESSAGE_FILES:
        message = _("A message may carry at most %(n)d files.", n=MAX_MESSAGE_FILES)
        raise MessageError(message, fields={"files": [message]})
    message = Message(
        input_id=item.id,
        author_id=user.id,
        side=side,
        body=text,
        is_question=bool(question) and side == REVIEWER_SIDE,
    )
    db.session.add(message)
    for position, (stream, filename) in enumerate(files):
        stored = clean_and_write(stream, filename)
        message.attachments.append(
            MessageAttachment(
                organisation_id=item.organisation_id,
                position=position,
                **stored.columns(),
            )
        )
    db.session.flush()
    record(
        "message.posted",
        user,
        message,
        input_id=str(item.id),
        side=side,
        question=message.is_question,
        files=len(message.attachments),
    )
    from consult.notifications.events import message_posted

    message_posted(message, item)
    return message


def load_message_attachment(attachment_id: str, user: Any) -> MessageAttachment:
    """A message's file if ``user`` may see its input, else 404."""
    found = db.session.get(MessageAttachment, parse_uuid(attachment_id))
    if found is None or not can_see_input(user, found.message.input):
        deny(
            user,
            "message attachment out of scope",
            object_type="message_attachments",
            object_id=attachment_id,
        )
    return found
