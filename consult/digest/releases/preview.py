"""What a moderator is shown before forwarding: the place names a release may replace.

An input whose group in a country is small is placed at region level in
external releases, and every place name of its region's countries in its
text then reads ``[place]`` (see ``places.py``). The moderator sees which
words that would be, while the text can still be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from consult.digest.releases.places import preview
from consult.extensions import db
from consult.reference.models import Country


@dataclass(frozen=True)
class PlacePreview:
    regions: list[str]
    words: list[tuple[str, str]]  # (word as written, country name)


def place_preview(item) -> PlacePreview | None:
    """The words of ``item``'s texts that a region-level placement would replace."""
    countries = list(item.countries)
    if not countries:
        return None
    regions = {country.region_slug for country in countries}
    scope = {c.code for c in item.consultation.countries} if item.consultation else set()
    candidates = {
        c.code: c.name
        for c in db.session.scalars(select(Country))
        if c.region_slug in regions and (not scope or c.code in scope)
    }
    texts = [item.effective_title, item.effective_body, item.moderator_summary or ""]
    texts += [rec.effective_text for rec in item.recommendations]
    seen: dict[str, str] = {}
    for text in texts:
        for found in preview(text, candidates):
            seen.setdefault(found.text, candidates[found.country])
    names = sorted({country.region.neighbourhood_name for country in countries})
    return PlacePreview(names, sorted(seen.items()))
