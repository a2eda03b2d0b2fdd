"""Who may act on an input, and the refusals review actions raise."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.errors import DomainError
from consult.inputs.models import Input
from consult.inputs.scope import can_see_input, moderates_delegation_of, works_at_hq
from consult.inputs.states import OPEN_FOR_REVIEW, RoutedTo


class ReviewError(DomainError):
    """A review action the rules do not allow; ``fields`` maps form fields to messages."""


def can_review(user: Any, item: Input) -> bool:
    """Whether ``user`` works on ``item``: its delegation's moderators, or HQ for HQ-routed."""
    if not can_see_input(user, item):
        return False
    if moderates_delegation_of(user, item):
        return True
    if works_at_hq(user):
        return item.routed_to == RoutedTo.HQ
    return False


def require_reviewer(user: Any, item: Input) -> None:
    if not can_review(user, item):
        raise ReviewError(_("You cannot review this input."))


def require_open(item: Input) -> None:
    if item.status not in OPEN_FOR_REVIEW:
        raise ReviewError(
            _("This input is no longer open for review (it is %(status)s).", status=item.status)
        )


def require_not_held_by_other(user: Any, item: Input) -> None:
    if item.claimed_by_id is not None and item.claimed_by_id != user.id:
        holder = item.claimed_by.display_name if item.claimed_by else _("a colleague")
        raise ReviewError(_("%(name)s is working on this input. Take it over first.", name=holder))
