"""Who may see which input: the scope rules and loaders of the Input aggregate.

:func:`can_see_input` answers for one input, :func:`input_scope` is the same
rule as an SQL condition for lists; a test checks that the two agree for
every role. Loaders answer 404 (and audit the denial) outside the scope.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, false, or_, select

from consult.access import deny, parse_uuid
from consult.auth.models import User
from consult.auth.roles import Role
from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import FORWARDED_STATUSES, RoutedTo, Status


def can_see_input(user: Any, item: Any) -> bool:
    """Whether ``user`` may see input ``item`` at all (DESIGN.md, "who sees what")."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    role = user.role
    if role == Role.CSO:
        return user.organisation_id is not None and item.organisation_id == user.organisation_id
    if item.status == Status.DRAFT:
        return False  # a draft is never visible to EU staff
    if role == Role.MODERATOR:
        return (
            item.routed_to == RoutedTo.DELEGATION
            and not item.is_hq_direct
            and user.delegation_slug is not None
            and item.delegation_slug == user.delegation_slug
        )
    if role == Role.HQ:
        return item.routed_to == RoutedTo.HQ or item.status in FORWARDED_STATUSES
    if role == Role.ADMIN:
        return True
    return False


def may_see_organisation(user: Any, item: Any) -> bool:
    """Whether the page may show which organisation sent ``item``.

    An HQ-direct input's organisation is hidden from delegation staff.
    """
    if user.role == Role.MODERATOR and item.is_hq_direct:
        return False
    return can_see_input(user, item)


def input_scope(user: Any) -> Any:
    """The SQL condition on ``Input`` that matches :func:`can_see_input` (for lists).

    Keep the two in step: a test checks that they agree for every role.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    role = user.role
    if role == Role.CSO:
        if user.organisation_id is None:
            return false()
        return Input.organisation_id == user.organisation_id
    submitted = Input.status != Status.DRAFT
    if role == Role.MODERATOR:
        if user.delegation_slug is None:
            return false()
        return and_(
            submitted,
            Input.routed_to == RoutedTo.DELEGATION,
            Input.is_hq_direct.is_(False),
            Input.delegation_slug == user.delegation_slug,
        )
    if role == Role.HQ:
        return and_(
            submitted,
            or_(
                Input.routed_to == RoutedTo.HQ,
                Input.status.in_([s.value for s in FORWARDED_STATUSES]),
            ),
        )
    if role == Role.ADMIN:
        return submitted
    return false()


def load_input(input_id: str | uuid.UUID, user: Any) -> Any:
    """The input with that id if ``user`` may see it, else 404."""
    item = db.session.get(Input, parse_uuid(input_id))
    if item is None or not can_see_input(user, item):
        deny(user, "input out of scope", object_type="inputs", object_id=input_id)
    return item


def load_attachment(attachment_id: str | uuid.UUID, user: Any) -> Any:
    """The attachment if ``user`` may see its input (or uploaded it, pending), else 404."""
    attachment = db.session.get(Attachment, parse_uuid(attachment_id))
    denied = attachment is None or (
        # A pending upload (form not yet saved): only its organisation sees it.
        not (
            getattr(user, "role", None) == Role.CSO
            and attachment.organisation_id == user.organisation_id
        )
        if attachment.input is None
        else not can_see_input(user, attachment.input)
    )
    if denied:
        deny(user, "attachment out of scope", object_type="attachments", object_id=attachment_id)
    return attachment


# Named predicates: code outside this module and ``consult.auth`` asks these
# instead of comparing a role by name.


def speaks_for_an_organisation(user: Any) -> bool:
    """Whether ``user`` is a CSO member (acts for an organisation, sees its inputs)."""
    return getattr(user, "role", None) == Role.CSO


def works_for_a_delegation(user: Any) -> bool:
    """Whether ``user`` is a delegation moderator (their delegation's countries only)."""
    return getattr(user, "role", None) == Role.MODERATOR


def works_at_hq(user: Any) -> bool:
    """Whether ``user`` is an HQ analyst (the HQ queue, forwarded inputs, digests)."""
    return getattr(user, "role", None) == Role.HQ


def queue_kind(user: Any) -> str:
    """The queue a reviewer opens first: their delegation's, or HQ's."""
    return "delegation" if works_for_a_delegation(user) else "hq"


def moderates_delegation_of(user: Any, item: Any) -> bool:
    """Whether ``user`` moderates the delegation ``item`` was routed to (never HQ-direct)."""
    return (
        works_for_a_delegation(user)
        and user.delegation_slug is not None
        and item.routed_to == RoutedTo.DELEGATION
        and not item.is_hq_direct
        and item.delegation_slug == user.delegation_slug
    )


def may_record_feedback(user: Any, item: Any) -> bool:
    """Whether ``user`` may say how HQ used ``item`` (an HQ analyst who sees it)."""
    return works_at_hq(user) and can_see_input(user, item)


# Who is told about an input: SQL conditions on ``User`` (notifications).


def reviewers_condition(item: Any) -> Any:
    """The active users who review ``item``: its delegation's moderators, or HQ analysts.

    An HQ-direct input, or one routed to HQ, is never told to a delegation.
    """
    if item.routed_to == RoutedTo.DELEGATION and not item.is_hq_direct and item.delegation_slug:
        return and_(
            User.active.is_(True),
            User.role == Role.MODERATOR,
            User.delegation_slug == item.delegation_slug,
        )
    return hq_analysts_condition()


def hq_analysts_condition() -> Any:
    """The active HQ analysts."""
    return and_(User.active.is_(True), User.role == Role.HQ)


def members_condition(organisation_id: Any) -> Any:
    """The active members of an organisation (CSO members)."""
    return and_(
        User.active.is_(True),
        User.role == Role.CSO,
        User.organisation_id == organisation_id,
    )


def participants_condition(consultation_id: Any) -> Any:
    """The active members of every organisation that sent ``consultation_id`` an input.

    One condition, so that telling 10,000 organisations is one read, not one per organisation.
    """
    senders = select(Input.organisation_id).where(
        Input.consultation_id == consultation_id, Input.status != Status.DRAFT.value
    )
    return and_(
        User.active.is_(True),
        User.role == Role.CSO,
        User.organisation_id.in_(senders),
    )
