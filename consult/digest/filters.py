"""The filters of a digest: parsed once, from the page's query string or the CLI's options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.dates import DateInputError, parse_date
from consult.errors import DomainError
from consult.extensions import db
from consult.inputs.models import Consultation
from consult.reference.models import Country, InputType, Priority, Region, Theme

AUDIENCES = ("external", "internal")
#: The filter names, in the order the page, the CLI and the report list them.
FILTER_NAMES = (
    "consultation",
    "release",
    "priority",
    "country",
    "region",
    "type",
    "theme",
    "since",
    "until",
    "audience",
)


class FilterError(DomainError):
    """A filter value that is not valid; the message names the valid values.

    ``field`` is the filter at fault (``None``: the combination), and the
    message is filed under it, so a form or the API shows it beside that field.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, {field or "filters": [message]})
        self.field = field


@dataclass(frozen=True)
class DigestFilters:
    """What a digest covers. ``None`` means "all"; ``audience`` is always set."""

    consultation: str | None = None
    #: External digests: the release's number within the consultation (None: the latest).
    release: int | None = None
    priority: str | None = None
    country: str | None = None
    region: str | None = None
    type: str | None = None
    theme: str | None = None
    since: date | None = None
    until: date | None = None
    audience: str = "external"

    @property
    def external(self) -> bool:
        return self.audience != "internal"

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as strings (for the audit log, JSON and links)."""
        result: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value is None or value == "":
                continue
            result[key] = value.isoformat() if isinstance(value, date) else str(value)
        return result


def _valid(model: type, key: str, order: Any) -> list[str]:
    return list(db.session.scalars(select(getattr(model, key)).order_by(order)))


def _choice(name: str, raw: str, valid: list[str]) -> str:
    if raw not in valid:
        raise FilterError(
            _(
                "Unknown %(name)s %(value)s; valid values: %(valid)s.",
                name=name,
                value=repr(raw),
                valid=", ".join(valid),
            ),
            name,
        )
    return raw


def _date(name: str, raw: str, local_dates: bool) -> date:
    if local_dates:  # the page: as its language writes dates, or ISO 8601
        try:
            return parse_date(raw)
        except DateInputError as refusal:
            raise FilterError(str(refusal), name) from None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(
            _(
                "%(name)s must be a date written YYYY-MM-DD (for example 2026-01-31), "
                "not %(value)s.",
                name=name,
                value=repr(raw),
            ),
            name,
        ) from None


def valid_values() -> dict[str, list[str]]:
    """The values each choice filter accepts (reference data and consultations)."""
    return {
        "consultation": _valid(Consultation, "slug", Consultation.slug),
        "priority": _valid(Priority, "slug", Priority.position),
        "country": _valid(Country, "code", Country.code),
        "region": _valid(Region, "slug", Region.position),
        "type": _valid(InputType, "slug", InputType.position),
        "theme": _valid(Theme, "slug", Theme.position),
        "audience": list(AUDIENCES),
    }


def parse_filters(mapping: Mapping[str, Any], local_dates: bool = False) -> DigestFilters:
    """Digest filters from a mapping of strings (query string, CLI options).

    Dates are ISO 8601; with ``local_dates`` (the digest page's form) also as
    the interface language writes them (:mod:`consult.dates`).

    Empty values mean "all". Raises :class:`FilterError` naming the valid
    values for the first bad one.
    """
    raw: dict[str, str] = {}
    for name in FILTER_NAMES:
        value = mapping.get(name)
        if value is None:
            continue
        value = str(value).strip()
        if value:
            raw[name] = value
    values: dict[str, Any] = {}
    valid = None
    for name in ("consultation", "priority", "country", "region", "type", "theme", "audience"):
        if name not in raw:
            continue
        if valid is None:
            valid = valid_values()
        given = raw[name].upper() if name == "country" else raw[name].lower()
        if name == "consultation":
            given = raw[name]
        values[name] = _choice(name, given, valid[name])
    if "release" in raw:
        if not raw["release"].isdigit() or int(raw["release"]) < 1:
            raise FilterError(
                _(
                    "release is the number of a published release (1, 2, ...), not %(value)s.",
                    value=repr(raw["release"]),
                ),
                "release",
            )
        values["release"] = int(raw["release"])
    for name in ("since", "until"):
        if name in raw:
            values[name] = _date(name, raw[name], local_dates)
    if values.get("since") and values.get("until") and values["since"] > values["until"]:
        raise FilterError(_("since must not be later than until."), "since")
    return DigestFilters(**values)
