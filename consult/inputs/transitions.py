"""The one state machine of an input: which status may follow which, on which event.

Every status change goes through :func:`transition`: it checks the move
against :data:`TRANSITIONS`, records the timeline event and marks the input
changed, so that the version counter moves on at the next flush. Who may
make a move (the CSO's own organisation, the reviewer of the input, HQ) is
checked first by the domain services that call it (``submissions.rules``,
``review.rules``); the ``by`` column says who that is, for the diagram.

The README's state diagram is :func:`state_diagram`'s output; a test fails
when the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from consult.errors import DomainError
from consult.inputs.events import EventKind, ReviewEvent, add_event
from consult.inputs.models import Input
from consult.inputs.states import Status
from consult.timeutil import utcnow

CSO = "CSO"
REVIEWER = "reviewer"
HQ = "HQ"


@dataclass(frozen=True)
class Move:
    """One allowed move: from ``source`` to ``target``, recorded as ``event``, made by ``by``."""

    source: Status
    target: Status
    event: EventKind
    by: str

    @property
    def visible_to_cso(self) -> bool:
        """Whether the organisation sees the event: its own moves and every decision."""
        return self.by == CSO or self.event in _DECISIONS


_DECISIONS = frozenset(
    {EventKind.FORWARDED, EventKind.RETURNED, EventKind.DECLINED, EventKind.USED}
)
_OPEN = (Status.SUBMITTED, Status.IN_REVIEW)

#: Every allowed status change. An input starts as a draft (or is submitted at once).
TRANSITIONS: tuple[Move, ...] = (
    Move(Status.DRAFT, Status.SUBMITTED, EventKind.SUBMITTED, CSO),
    Move(Status.SUBMITTED, Status.WITHDRAWN, EventKind.WITHDRAWN, CSO),
    Move(Status.RETURNED, Status.SUBMITTED, EventKind.RESUBMITTED, CSO),
    *(Move(s, Status.IN_REVIEW, EventKind.CLAIMED, REVIEWER) for s in _OPEN),
    *(Move(s, Status.IN_REVIEW, EventKind.TAKEN_OVER, REVIEWER) for s in _OPEN),
    Move(Status.SUBMITTED, Status.IN_REVIEW, EventKind.CORRECTED, REVIEWER),
    Move(Status.SUBMITTED, Status.IN_REVIEW, EventKind.REDACTED, REVIEWER),
    *(Move(s, Status.FORWARDED, EventKind.FORWARDED, REVIEWER) for s in _OPEN),
    *(Move(s, Status.RETURNED, EventKind.RETURNED, REVIEWER) for s in _OPEN),
    *(Move(s, Status.DECLINED, EventKind.DECLINED, REVIEWER) for s in _OPEN),
    Move(Status.FORWARDED, Status.USED, EventKind.USED, HQ),
    Move(Status.USED, Status.USED, EventKind.USED, HQ),
)

_MOVES = {(m.source, m.target, m.event): m for m in TRANSITIONS}


class TransitionError(DomainError):
    """A status change the state machine does not allow."""


def allowed(item: Input, target: Status, event: EventKind) -> bool:
    """Whether ``item`` may move to ``target`` recorded as ``event``."""
    return (_current(item), Status(target), event) in _MOVES


def transition(
    item: Input,
    target: Status,
    actor: Any,
    event: EventKind,
    *,
    message: str | None = None,
    **data: Any,
) -> ReviewEvent:
    """Move ``item`` to ``target``, recording ``event`` by ``actor``; the caller flushes.

    ``message`` and ``data`` go on the event. Raises :class:`TransitionError`
    for a move that is not in :data:`TRANSITIONS`.
    """
    move = _MOVES.get((_current(item), Status(target), event))
    if move is None:
        raise TransitionError(
            _(
                "This input is %(status)s and cannot become %(target)s.",
                status=_current(item).value,
                target=Status(target).value,
            )
        )
    recorded = add_event(
        item,
        actor,
        event,
        message=message,
        visible=move.visible_to_cso,
        versioned=move.by != CSO,
        **data,
    )
    item.status = move.target
    # A change of the row, even a move onto the same status, bumps the version.
    item.updated_at = utcnow()
    return recorded


def _current(item: Input) -> Status:
    # A new input not flushed yet has no status: it is a draft.
    return Status(item.status or Status.DRAFT)


def state_diagram() -> str:
    """The state machine as a Mermaid diagram (the README shows this text)."""
    lines = ["stateDiagram-v2", f"    [*] --> {Status.DRAFT.value}"]
    edges: dict[tuple[Status, Status], list[str]] = {}
    for move in TRANSITIONS:
        label = f"{move.event.value} ({move.by})"
        names = edges.setdefault((move.source, move.target), [])
        if label not in names:
            names.append(label)
    for (source, target), names in edges.items():
        lines.append(f"    {source.value} --> {target.value}: {', '.join(names)}")
    return "\n".join(lines) + "\n"
