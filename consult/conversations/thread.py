"""The thread as a page shows it: messages with marked identifiers, and the form to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from consult.conversations.models import CSO_SIDE, Message
from consult.conversations.services import (
    MAX_MESSAGE_FILES,
    open_question,
    side_of,
    thread_of,
)
from consult.identifiers import Finding, find_identifiers, known_identifiers, segments
from consult.inputs.models import MESSAGE_MAX, Input
from consult.inputs.scope import may_see_organisation, speaks_for_an_organisation
from consult.inputs.states import RoutedTo


@dataclass
class ShownMessage:
    message: Message
    author: str
    #: The text in parts: (text, anchor id or None); a marked part looks like an identifier.
    parts: list[tuple[str, str | None]]
    findings: list[Finding]

    @property
    def marked(self) -> int:
        return len(self.findings)


@dataclass
class Thread:
    """What the thread section of an input page shows to one reader."""

    item: Input
    messages: list[ShownMessage]
    side: str | None
    waiting: Message | None
    typed_body: str = ""
    typed_question: bool = False
    errors: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None
    max_length: int = MESSAGE_MAX
    max_files: int = MAX_MESSAGE_FILES

    @property
    def can_write(self) -> bool:
        return self.side is not None

    @property
    def reviewer(self) -> bool:
        return self.side is not None and self.side != CSO_SIDE


def _author(message: Message, reader: Any, item: Input) -> str:
    """Who wrote it, as the reader may know: CSOs never see staff names."""
    if message.side == CSO_SIDE:
        if speaks_for_an_organisation(reader):
            author = message.author
            return author.display_name if author is not None else _("a former member")
        if may_see_organisation(reader, item):
            return _("the CSO (%(name)s)", name=item.organisation.name)
        return _("the CSO")
    if speaks_for_an_organisation(reader):
        if item.routed_to == RoutedTo.DELEGATION and item.delegation is not None:
            return item.delegation.name
        return _("EU headquarters")
    return message.author.display_name if message.author is not None else _("someone")


def build_thread(
    item: Input,
    reader: Any,
    *,
    typed_body: str = "",
    typed_question: bool = False,
    errors: dict[str, list[str]] | None = None,
    error: str | None = None,
) -> Thread:
    """The thread of ``item`` for ``reader`` (who may see the input: the caller checked)."""
    messages = thread_of(item)
    known = known_identifiers() if messages else ()
    shown = []
    for index, message in enumerate(messages):
        found = find_identifiers(message.body, known, item.country_codes)
        shown.append(
            ShownMessage(
                message=message,
                author=_author(message, reader, item),
                parts=segments(message.body, found, f"message-{index}"),
                findings=found,
            )
        )
    return Thread(
        item=item,
        messages=shown,
        side=side_of(reader, item),
        waiting=open_question(messages),
        typed_body=typed_body,
        typed_question=typed_question,
        errors=errors or {},
        error=error,
    )
