"""The review queues: a delegation's, HQ's, and the list of forwarded inputs.

Oldest first, filtered, counted per status, in pages walked by keyset
pagination on ``(submitted_at, id)``: the cursor names the last row of the
previous page, so page 1000 costs what page 1 costs (no OFFSET). Every
filter value is checked against the caller's scope: a value outside it
(a country another delegation covers, an unknown slug) raises
:class:`QueueFilterError`, which views turn into a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Subquery, and_, false, func, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from consult.extensions import db
from consult.i18n import label
from consult.inputs.models import (
    Consultation,
    Input,
    InputCountry,
    consultation_countries,
)
from consult.inputs.paging import decode_cursor, encode_cursor
from consult.inputs.scope import input_scope, queue_kind, works_at_hq, works_for_a_delegation
from consult.inputs.states import FORWARDED_STATUSES, OPEN_FOR_REVIEW, RoutedTo, Status
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Country, InputType, Priority, Theme
from consult.review.queue_counts import counts_per_status
from consult.submissions.validation import LANGUAGE_CODES

PAGE_SIZE = 50
SEARCH_MAX = 200

#: The status filter's two groups besides single statuses.
OPEN = "open"
ALL = "all"

KINDS = ("delegation", "hq", "forwarded")


class QueueFilterError(LookupError):
    """A filter value or cursor outside the caller's scope (shown as 404)."""


@dataclass(frozen=True)
class QueueFilters:
    consultation: str | None = None
    priority: str | None = None
    country: str | None = None
    type: str | None = None
    theme: str | None = None
    language: str | None = None
    status: str = OPEN
    q: str = ""

    def as_args(self, **override: Any) -> dict[str, str]:
        """The filters as URL query arguments (empty ones left out)."""
        values = {
            "consultation": self.consultation,
            "priority": self.priority,
            "country": self.country,
            "type": self.type,
            "theme": self.theme,
            "language": self.language,
            "status": self.status,
            "q": self.q,
            **override,
        }
        return {k: v for k, v in values.items() if v}


class Scope:
    """Which inputs a queue holds and which filter values make sense in it.

    The countries and consultations are read when first asked for (to check
    a filter or list the options), so an unfiltered API page does not read them.
    """

    def __init__(
        self,
        kind: str,
        condition: ColumnElement[bool],
        statuses: list[str],
        default_status: str,
        countries: Callable[[], list[Country]] = list,
        consultations: Callable[[], list[Consultation]] = list,
    ) -> None:
        self.kind = kind
        self.condition = condition
        self.statuses = statuses
        self.default_status = default_status
        self._countries = countries
        self._consultations = consultations

    @cached_property
    def countries(self) -> list[Country]:
        return self._countries()

    @cached_property
    def consultations(self) -> list[Consultation]:
        return self._consultations()


@dataclass
class QueuePage:
    items: list[Input]
    next_cursor: str | None
    counts: dict[str, int]
    filters: QueueFilters
    scope: Scope

    @cached_property
    def options(self) -> dict[str, list[Any]]:
        """The values each filter offers (read only by the page that shows the filters)."""
        return {
            "consultations": self.scope.consultations,
            "countries": self.scope.countries,
            "priorities": list(db.session.scalars(select(Priority).order_by(Priority.position))),
            "types": list(db.session.scalars(select(InputType).order_by(InputType.position))),
            "themes": list(db.session.scalars(select(Theme).order_by(Theme.position))),
            "languages": [(code, label(name)) for code, name in INPUT_LANGUAGES],
        }

    @property
    def total(self) -> int:
        """How many inputs match the filters (whatever the status filter says)."""
        if self.filters.status == ALL:
            return sum(self.counts.values())
        if self.filters.status == OPEN:
            return sum(self.counts.get(s, 0) for s in OPEN_FOR_REVIEW)
        return self.counts.get(self.filters.status, 0)


def default_kind(user: Any) -> str:
    return queue_kind(user)


def queue_scope(user: Any, kind: str) -> Scope:
    """The inputs of queue ``kind`` that ``user`` may see, and the matching filter values."""
    all_statuses = [s.value for s in Status if s != Status.DRAFT]
    condition = queue_condition(user, kind)
    if kind == "delegation" and works_for_a_delegation(user) and user.delegation_slug:
        slug = user.delegation_slug

        def countries() -> list[Country]:
            return list(
                db.session.scalars(
                    select(Country).where(Country.delegation_slug == slug).order_by(Country.name)
                )
            )

        def consultations() -> list[Consultation]:
            covered = select(Country.code).where(Country.delegation_slug == slug)
            return list(
                db.session.scalars(
                    select(Consultation)
                    .where(
                        Consultation.id.in_(
                            select(consultation_countries.c.consultation_id).where(
                                consultation_countries.c.country_code.in_(covered)
                            )
                        )
                    )
                    .order_by(Consultation.opens_at.desc())
                )
            )

        return Scope(kind, condition, all_statuses, OPEN, countries, consultations)
    if kind == "hq" and works_at_hq(user):
        return Scope(kind, condition, all_statuses, OPEN, _all_countries, _all_consultations)
    if kind == "forwarded" and works_at_hq(user):
        forwarded = [s.value for s in Status if s in FORWARDED_STATUSES]
        return Scope(kind, condition, forwarded, ALL, _all_countries, _all_consultations)
    return Scope(kind, false(), [], OPEN)


def queue_condition(user: Any, kind: str) -> ColumnElement[bool]:
    """The SQL condition of the inputs in ``user``'s queue ``kind`` (nothing if not theirs)."""
    visible = input_scope(user)
    if kind == "delegation" and works_for_a_delegation(user) and user.delegation_slug:
        return and_(visible, Input.routed_to == RoutedTo.DELEGATION)
    if kind == "hq" and works_at_hq(user):
        return and_(visible, Input.routed_to == RoutedTo.HQ)
    if kind == "forwarded" and works_at_hq(user):
        forwarded = [s.value for s in Status if s in FORWARDED_STATUSES]
        return and_(visible, Input.status.in_(forwarded))
    return false()


def _all_countries() -> list[Country]:
    return list(db.session.scalars(select(Country).order_by(Country.name)))


def _all_consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.opens_at.desc())))


def parse_filters(mapping: Mapping[str, Any], scope: Scope) -> QueueFilters:
    """Filters from query arguments, each checked against ``scope`` (else QueueFilterError)."""

    def value(name: str) -> str | None:
        raw = mapping.get(name)
        return str(raw).strip() or None if raw is not None else None

    consultation = value("consultation")
    if consultation and consultation not in {c.slug for c in scope.consultations}:
        raise QueueFilterError("consultation")
    country = value("country")
    if country and country.upper() not in {c.code for c in scope.countries}:
        raise QueueFilterError("country")
    priority = value("priority")
    if priority and db.session.get(Priority, priority) is None:
        raise QueueFilterError("priority")
    type_ = value("type")
    if type_ and db.session.get(InputType, type_) is None:
        raise QueueFilterError("type")
    theme = value("theme")
    if theme and db.session.get(Theme, theme) is None:
        raise QueueFilterError("theme")
    language = value("language")
    if language and language not in LANGUAGE_CODES:
        raise QueueFilterError("language")
    status = value("status") or scope.default_status
    if status not in (OPEN, ALL) and status not in scope.statuses:
        raise QueueFilterError("status")
    if status == OPEN and scope.kind == "forwarded":
        raise QueueFilterError("status")
    q = (value("q") or "")[:SEARCH_MAX]
    return QueueFilters(
        consultation=consultation,
        priority=priority,
        country=country.upper() if country else None,
        type=type_,
        theme=theme,
        language=language,
        status=status,
        q=q,
    )


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_conditions(filters: QueueFilters, scope: Scope) -> list[ColumnElement[bool]]:
    """SQL conditions for every filter except the status."""
    conditions: list[ColumnElement[bool]] = [scope.condition]
    if filters.consultation:
        consultation_id = next(c.id for c in scope.consultations if c.slug == filters.consultation)
        conditions.append(Input.consultation_id == consultation_id)
    if filters.priority:
        conditions.append(Input.priority_slug == filters.priority)
    if filters.type:
        conditions.append(Input.type_slug == filters.type)
    if filters.country:
        conditions.append(Input.country_links.any(InputCountry.country_code == filters.country))
    if filters.theme:
        conditions.append(Input.themes.any(Theme.slug == filters.theme))
    if filters.language:
        conditions.append(Input.language == filters.language)
    # Search what EU staff see: the reviewed text once there is one (the
    # original is sealed). LIKE/ILIKE with escaping works on SQLite and PostgreSQL.
    title = func.coalesce(Input.reviewed_title, Input.title)
    body = func.coalesce(Input.reviewed_body, Input.body)
    for term in filters.q.split()[:8]:
        pattern = f"%{_like_escape(term)}%"
        conditions.append(or_(title.ilike(pattern, escape="\\"), body.ilike(pattern, escape="\\")))
    return conditions


def _statuses(status: str, scope: Scope) -> list[str]:
    """The statuses the status filter lets through."""
    if status == OPEN:
        return sorted(s.value for s in OPEN_FOR_REVIEW)
    if status == ALL:
        return list(scope.statuses)
    return [status]


def _counts(user: Any, kind: str, filters: QueueFilters, scope: Scope) -> dict[str, int]:
    """Inputs per status: from the counters (constant time) unless a finer filter is set."""
    finer = (filters.priority, filters.country, filters.type, filters.theme, filters.language)
    if not any(finer) and not filters.q:
        consultation_id = None
        if filters.consultation:
            consultation_id = next(
                c.id for c in scope.consultations if c.slug == filters.consultation
            )
        return counts_per_status(user, kind, consultation_id)
    conditions = filter_conditions(filters, scope)
    return dict(
        db.session.execute(
            select(Input.status, func.count()).where(*conditions).group_by(Input.status)
        ).all()
    )


def _after(cursor: str | None) -> list[ColumnElement[bool]]:
    """The keyset condition: rows after the cursor's (submitted_at, id).

    The redundant ``submitted_at >= …`` lets the database start the index walk
    at the cursor instead of filtering every earlier row.
    """
    if not cursor:
        return []
    try:
        submitted_at, last_id = decode_cursor(cursor)
    except ValueError:
        raise QueueFilterError("cursor") from None
    return [
        Input.submitted_at >= submitted_at,
        or_(
            Input.submitted_at > submitted_at,
            and_(Input.submitted_at == submitted_at, Input.id > last_id),
        ),
    ]


def _page_rows(conditions: list[ColumnElement[bool]], statuses: list[str], size: int) -> Subquery:
    """The ids of the page's rows: one ordered, limited read per status, merged.

    Each status is a contiguous, ordered range of the queue's index, so each
    branch stops after ``size`` rows; sorting the at most ``size`` × statuses
    rows of the union is all that is left, however many inputs are waiting.
    """
    branches = [
        select(Input.id, Input.submitted_at)
        .where(*conditions, Input.status == status)
        .order_by(Input.submitted_at, Input.id)
        .limit(size)
        .subquery()
        for status in statuses
    ]
    # Each branch is wrapped in its own SELECT: SQLite refuses ORDER BY inside UNION ALL.
    return union_all(*(select(b.c.id, b.c.submitted_at) for b in branches)).subquery("page")


def queue_page(
    user: Any,
    filters: Mapping[str, Any],
    after: str | None = None,
    limit: int = PAGE_SIZE,
    *,
    kind: str | None = None,
) -> QueuePage:
    """One page of the caller's queue (``kind``: delegation, hq or forwarded).

    A constant number of statements whatever ``limit`` and the queue's size
    are: the counts, the page, its countries and themes (one select-in each);
    the option lists only when the page shows them.
    """
    kind = kind or default_kind(user)
    if kind not in KINDS:
        raise QueueFilterError("kind")
    scope = queue_scope(user, kind)
    parsed = parse_filters(filters, scope)
    conditions = filter_conditions(parsed, scope) + _after(after)
    counts = _counts(user, kind, parsed, scope)

    page = _page_rows(conditions, _statuses(parsed.status, scope), limit + 1)
    stmt = (
        select(Input)
        .join(page, page.c.id == Input.id)
        .options(
            selectinload(Input.country_links),
            selectinload(Input.themes),
            joinedload(Input.organisation),
            joinedload(Input.claimed_by),
            joinedload(Input.priority),
            joinedload(Input.input_type),
            joinedload(Input.consultation),
        )
        .order_by(page.c.submitted_at, page.c.id)
        .limit(limit + 1)
    )
    rows = list(db.session.scalars(stmt).unique())
    next_cursor = (
        encode_cursor(rows[limit - 1].submitted_at, rows[limit - 1].id)
        if len(rows) > limit
        else None
    )
    return QueuePage(rows[:limit], next_cursor, counts, parsed, scope)
