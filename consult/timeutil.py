"""Time helpers: the storage convention (naive UTC) and the time zones people read in.

Timestamps are stored as naive UTC everywhere: SQLite keeps no time zone, and
one convention on both databases avoids comparing aware with naive values.
Pages show them in the reader's zone (``users.time_zone``, else the zone of
their delegation's or organisation's country, else Brussels for HQ); the API
keeps UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

#: Where HQ and the administrators work.
HQ_ZONE = "Europe/Brussels"

#: The zone of each European Neighbourhood country (the capital's, as the
#: delegation reads its clock). Palestine: Hebron, the zone of the West Bank.
COUNTRY_ZONES: dict[str, str] = {
    "DZ": "Africa/Algiers",
    "EG": "Africa/Cairo",
    "IL": "Asia/Jerusalem",
    "JO": "Asia/Amman",
    "LB": "Asia/Beirut",
    "LY": "Africa/Tripoli",
    "MA": "Africa/Casablanca",
    "PS": "Asia/Hebron",
    "SY": "Asia/Damascus",
    "TN": "Africa/Tunis",
    "AM": "Asia/Yerevan",
    "AZ": "Asia/Baku",
    "BY": "Europe/Minsk",
    "GE": "Asia/Tbilisi",
    "MD": "Europe/Chisinau",
    "UA": "Europe/Kyiv",
}

#: Old or administrative names the zone list leaves out (they stay valid when stored).
_LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/")


def utcnow() -> datetime:
    """The current time as a naive UTC datetime."""
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The IANA zones a person may pick, sorted: ``Area/City`` names and UTC."""
    names = {
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(_LEGACY_PREFIXES)
    }
    return ("UTC", *sorted(names))


def is_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA zone this machine knows."""
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def default_zone_name(user: Any) -> str:
    """The zone a user reads times in before choosing one.

    The delegation's country, else the organisation's first country (by code),
    else Brussels: HQ, administrators, and accounts with no country.
    """
    delegation = getattr(user, "delegation", None)
    organisation = getattr(user, "organisation", None)
    for place in (delegation, organisation):
        codes = sorted(c.code for c in getattr(place, "countries", None) or [])
        for code in codes:
            if code in COUNTRY_ZONES:
                return COUNTRY_ZONES[code]
    return HQ_ZONE


def zone_name_of(user: Any) -> str:
    """The user's chosen zone, else their default one; UTC for nobody signed in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "UTC"
    chosen = getattr(user, "time_zone", None)
    return chosen if is_zone(chosen) else default_zone_name(user)


def as_utc(value: datetime) -> datetime:
    """A stored (naive UTC) or aware datetime as an aware UTC one."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def day_bounds_utc(
    first: date | None, last: date | None, zone: str
) -> tuple[datetime | None, datetime | None]:
    """Naive UTC bounds [start, end) of the days ``first`` to ``last`` as read in ``zone``."""
    tz = ZoneInfo(zone)

    def start_of(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC).replace(tzinfo=None)

    return (
        start_of(first) if first else None,
        start_of(last + timedelta(days=1)) if last else None,
    )
