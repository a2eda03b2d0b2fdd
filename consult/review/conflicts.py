"""Versions and conflicts: nobody silently overwrites a colleague.

Every change bumps the input's ``version`` (SQLAlchemy's version counter), and
each form carries the version it was loaded with: a save carrying an older
version raises :class:`ConflictError` naming what changed since. A true race
(two requests passing the check at once) ends in ``StaleDataError`` at flush,
which is turned into the same :class:`ConflictError`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from consult.dates import plain_when
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.models import Input
from consult.review.timeline import describe_event
from consult.timeutil import utcnow


class ConflictError(DomainError):
    """The input changed since the form was loaded (a stale ``version``)."""

    def __init__(
        self, current_version: int, changes: list[str], *, rolled_back: bool = False
    ) -> None:
        super().__init__(_("This input was changed by someone else since you opened it."))
        self.current_version = current_version
        self.changes = changes
        # True when a lost race rolled the session back (pending changes are gone).
        self.rolled_back = rolled_back


def check_version(item: Input, version: int | str | None) -> None:
    """Raise :class:`ConflictError` unless ``version`` is the input's (None: no check)."""
    if version is None:
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        expected = -1
    if expected != item.version:
        raise ConflictError(item.version, changes_since(item, expected))


def changes_since(item: Input, version: int) -> list[str]:
    """What happened to ``item`` after ``version`` was loaded, one line per event."""
    lines: list[str] = []
    for event in sorted(item.events, key=lambda e: (e.created_at, e.id or 0)):
        data = event.data or {}
        event_version = data.get("version")
        if event_version is None or event_version < version:
            continue
        who = event.actor.display_name if event.actor else _("someone")
        lines.append(
            _(
                "%(when)s, %(who)s: %(what)s",
                when=plain_when(event.created_at),
                who=who,
                what=describe_event(event),
            )
        )
    if not lines:
        lines.append(_("The input was changed since you opened it."))
    return lines


def save_input(item: Input) -> None:
    """Bump the version (even for changes in other tables) and flush.

    A concurrent save that won the race makes the UPDATE match no row:
    SQLAlchemy raises ``StaleDataError``; the session is rolled back (this
    request changed nothing) and a :class:`ConflictError` is raised.
    """
    item.updated_at = utcnow()
    version = item.version
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(item)
        raise ConflictError(item.version, changes_since(item, version), rolled_back=True) from None
