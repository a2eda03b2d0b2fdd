"""The time zones an account may choose, the likely ones first."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.dates import zone_city
from consult.i18n import label
from consult.reference.models import Country
from consult.timeutil import COUNTRY_ZONES, HQ_ZONE, default_zone_name, zone_names


def time_zone_choices(user: Any, countries: list[Country]) -> dict[str, list[tuple[str, str]]]:
    """Select choices in groups: automatic, the 16 countries and Brussels, then every zone.

    The automatic choice (empty) names the zone it stands for, so the account
    sees what it gets without choosing.
    """
    names = {c.code: label(c.name_en) for c in countries}
    default = default_zone_name(user)
    automatic = [("", _("Automatic: %(city)s (%(zone)s)", city=zone_city(default), zone=default))]
    likely = sorted(
        (
            (zone, f"{names.get(code, code)}: {zone_city(zone)}")
            for code, zone in COUNTRY_ZONES.items()
        ),
        key=lambda pair: pair[1],
    )
    likely.append((HQ_ZONE, _("Brussels (HQ)")))
    likely.append(("UTC", "UTC"))
    shown = {zone for zone, _label in likely}
    every = [(zone, zone) for zone in zone_names() if zone not in shown]
    return {
        _("Automatic"): automatic,
        _("Countries of the consultations"): likely,
        _("Every time zone"): every,
    }
