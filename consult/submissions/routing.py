"""Where a submitted input goes (a delegation or HQ), and how that reads to the CSO."""

from __future__ import annotations

from flask_babel import gettext as _

from consult.extensions import db
from consult.inputs.models import Input
from consult.inputs.states import RoutedTo
from consult.reference.models import Country
from consult.submissions.input_data import InputData


def destination(main: Country | None, *, hq_direct: bool) -> tuple[RoutedTo, str | None]:
    """Where an input about ``main`` goes: (HQ, None) or (delegation, its slug).

    HQ receives it when the submitter asked for HQ-direct routing or when no
    delegation covers the main (first) country.
    """
    if hq_direct or main is None or main.delegation_slug is None:
        return RoutedTo.HQ, None
    return RoutedTo.DELEGATION, main.delegation_slug


def route_input(item: Input) -> None:
    """Send the input to the delegation of its main country, or to HQ."""
    main = item.main_country
    if main is None and item.country_links:
        main = db.session.get(Country, item.country_links[0].country_code)
    item.routed_to, item.delegation_slug = destination(main, hq_direct=item.is_hq_direct)


def routing_preview(data: InputData) -> str:
    """Where the input will go once sent, in plain words (the review before sending)."""
    main = db.session.get(Country, data.country_codes[0]) if data.country_codes else None
    routed_to, _slug = destination(main, hq_direct=data.is_hq_direct)
    if routed_to == RoutedTo.DELEGATION and main is not None and main.delegation is not None:
        return _("It goes to the %(delegation)s, which covers %(country)s.") % {
            "delegation": main.delegation.name,
            "country": main.name,
        }
    if data.is_hq_direct:
        return _(
            "It goes directly to EU headquarters (EEAS and DG NEAR), as you asked: "
            "no EU Delegation sees it or your organisation's name."
        )
    return _(
        "It goes to EU headquarters (EEAS and DG NEAR), because no EU Delegation "
        "covers %(country)s."
    ) % {"country": main.name if main else ""}


def routing_sentence(item: Input) -> str:
    """Where the input went, in plain words, without naming anyone."""
    if item.routed_to == RoutedTo.HQ:
        if item.is_hq_direct:
            return _(
                "Sent directly to EU headquarters (EEAS and DG NEAR), as you asked: "
                "no EU Delegation sees it or your organisation's name."
            )
        country = item.main_country.name if item.main_country else ""
        return _(
            "Sent to EU headquarters (EEAS and DG NEAR), because no EU Delegation "
            "covers %(country)s."
        ) % {"country": country}
    if item.routed_to == RoutedTo.DELEGATION and item.delegation is not None:
        return _("Sent to the %(delegation)s, which covers %(country)s.") % {
            "delegation": item.delegation.name,
            "country": item.main_country.name if item.main_country else "",
        }
    return _("Not sent yet.")
