"""How digests say where an input is from and who sent it, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.digest.query import Reference


def join_names(names: list[str]) -> str:
    """ "Tunisia", "Ukraine and Moldova", "Lebanon, Syria and Jordan"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def country_names(reference: Reference, codes: list[str]) -> list[str]:
    return [reference.countries.get(c, (c, ""))[0] for c in codes]


def region_names(reference: Reference, slugs: list[str]) -> list[str]:
    """The neighbourhood names of regions; ``*`` is the whole European Neighbourhood."""
    names: list[str] = []
    for slug in slugs:
        name = (
            _("the European Neighbourhood")
            if slug == "*"
            else reference.regions.get(slug, ("", _("the European Neighbourhood")))[1]
        )
        if name not in names:
            names.append(name)
    return names or [_("the European Neighbourhood")]


def working_in(reference: Reference, codes: list[str]) -> str:
    return _(
        "a CSO working in %(countries)s", countries=join_names(country_names(reference, codes))
    )


def in_region(reference: Reference, slugs: list[str]) -> str:
    return _("a CSO in %(region)s", region=join_names(region_names(reference, slugs)))
