"""The months a release covers: whole months only, and only months that are over.

Two releases that cut a month at different days would date the inputs
forwarded in between more finely than the month each file prints. So a
release covers whole calendar months, and its last month must be over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.digest.releases.errors import ReleaseError
from consult.extensions import db
from consult.inputs.models import Consultation, Input

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    first: str  # "YYYY-MM"
    last: str

    @property
    def starts(self) -> datetime:
        return _month_start(self.first)

    @property
    def ends(self) -> datetime:
        """The first moment after the period."""
        return _next_month(_month_start(self.last))

    def describe(self) -> str:
        if self.first == self.last:
            return self.first
        return _("%(first)s to %(last)s", first=self.first, last=self.last)


def _month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1)


def _next_month(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1)


def _previous_month(now: datetime) -> str:
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _parse_month(raw: str) -> str:
    match = _MONTH.match(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ReleaseError(
            _(
                "A period is written YYYY-MM..YYYY-MM (for example 2026-09..2026-10), "
                "or YYYY-MM for one month; %(raw)s is not a month.",
                raw=repr(raw),
            )
        )
    return f"{match.group(1)}-{match.group(2)}"


def resolve_period(raw: str | None, consultation: Consultation, now: datetime) -> Period:
    """The period asked for, or from the consultation's first month to the last month over."""
    latest = _previous_month(now)
    if raw and raw.strip():
        first_raw, _sep, last_raw = raw.partition("..")
        first = _parse_month(first_raw)
        last = _parse_month(last_raw) if last_raw.strip() else first
    else:
        earliest = db.session.scalar(
            select(func.min(Input.forwarded_at)).where(Input.consultation_id == consultation.id)
        )
        opening = consultation.opens_at
        start = min(d for d in (earliest, opening) if d is not None)
        first, last = start.strftime("%Y-%m"), latest
        if first > last:
            raise ReleaseError(
                _(
                    "No month of %(slug)s is over yet: a release covers whole months, "
                    "so the first one can cover %(first)s once that month is over.",
                    slug=repr(consultation.slug),
                    first=first,
                )
            )
    if last > latest:
        raise ReleaseError(
            _(
                "A release covers whole months that are over: %(last)s is not over yet. "
                "The latest month a release can cover is %(latest)s; comparing releases cut "
                "within a month would date inputs more finely than their month.",
                last=last,
                latest=latest,
            )
        )
    if first > last:
        raise ReleaseError(
            _("The period starts (%(first)s) after it ends (%(last)s).", first=first, last=last)
        )
    return Period(first, last)
