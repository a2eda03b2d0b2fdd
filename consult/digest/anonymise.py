"""The non-attribution guarantee, applied while a digest is generated.

* Attribution: an attributable input names its organisation; any other says
  "a CSO working in <countries>".
* External digests (meant to leave the EU institutions):
  - identifiers the moderator did not catch (emails, phones, URLs, names
    of registered organisations and users) are replaced by ``[redacted]``
    in every free-text field;
  - an organisation that also sent non-attributable inputs covered by the
    digest is not named at all, so its name cannot point at them;
  - small groups are not anonymous: an input in a priority x country cell
    with fewer than k organisations is placed at region level ("a CSO in the
    Eastern Neighbourhood") and the cell shows "fewer than k";
  - inputs are identified by a keyed reference, not by their database id.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.digest.query import Aggregates, Reference
from consult.identifiers import redact
from consult.submissions.states import Attribution


def join_names(names: list[str]) -> str:
    """ "Tunisia", "Ukraine and Moldova", "Lebanon, Syria and Jordan"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


@dataclass
class Anonymiser:
    external: bool
    k: int
    reference: Reference
    aggregates: Aggregates
    known: list[str] = field(default_factory=list)
    secret: bytes = b""

    def __post_init__(self) -> None:
        self._known_lower = sorted({k.strip().lower() for k in self.known if k and k.strip()})
        self.small_cells: set[tuple[str, str]] = (
            {cell for cell, c in self.aggregates.cells.items() if c.organisations < self.k}
            if self.external
            else set()
        )

    # -- cells ---------------------------------------------------------------
    def is_small(self, priority: str | None, country: str) -> bool:
        return (priority or "", country) in self.small_cells

    def region_level(self, priority: str | None, codes: list[str]) -> bool:
        """Whether an input must be placed at region level (one of its cells is small)."""
        return self.external and any(self.is_small(priority, code) for code in codes)

    # -- places and labels -----------------------------------------------------
    def country_names(self, codes: list[str]) -> list[str]:
        return [self.reference.countries.get(c, (c, ""))[0] for c in codes]

    def neighbourhoods(self, codes: list[str]) -> list[str]:
        seen: list[str] = []
        for code in codes:
            region = self.reference.countries.get(code, ("", ""))[1]
            hood = self.reference.regions.get(region, ("", _("the European Neighbourhood")))[1]
            if hood not in seen:
                seen.append(hood)
        return seen or [_("the European Neighbourhood")]

    def place(self, priority: str | None, codes: list[str]) -> str:
        """Where an input is from, as a digest may say it."""
        if self.region_level(priority, codes):
            return join_names(self.neighbourhoods(codes))
        return join_names(self.country_names(codes))

    def group_place(self, priority: str | None, codes: list[str]) -> str:
        """The heading a good practice is grouped under (its main country or region)."""
        if self.region_level(priority, codes):
            return self.neighbourhoods(codes)[0]
        return self.country_names(codes[:1])[0] if codes else _("Other")

    def names_organisation(self, attribution: str, organisation_id: uuid.UUID) -> bool:
        if attribution != Attribution.ATTRIBUTABLE:
            return False
        return not (self.external and organisation_id in self.aggregates.non_attributable_orgs)

    def label(
        self,
        attribution: str,
        organisation_id: uuid.UUID,
        organisation_name: str,
        priority: str | None,
        codes: list[str],
    ) -> str:
        """The attribution label: the organisation's name, or "a CSO working in ..."."""
        if self.names_organisation(attribution, organisation_id):
            return organisation_name
        if self.region_level(priority, codes):
            return _("a CSO in %(region)s", region=join_names(self.neighbourhoods(codes)))
        return _("a CSO working in %(countries)s", countries=join_names(self.country_names(codes)))

    # -- text and references ---------------------------------------------------
    def text(self, value: str | None) -> str:
        """Free text as the digest may carry it (identifiers redacted when external)."""
        if not value:
            return ""
        if not self.external:
            return value
        # Hand the detector only the known names that occur (a cheap substring test),
        # rather than compiling a pattern for every registered name on every field.
        lowered = value.lower()
        present = [name for name in self._known_lower if name in lowered]
        return redact(value, present)

    def ref(self, input_id: uuid.UUID) -> str:
        """The input's reference: its id internally, a keyed pseudonym externally."""
        if not self.external:
            return str(input_id)
        digest = hmac.new(self.secret, input_id.bytes, hashlib.sha256).hexdigest()
        return "R-" + digest[:10].upper()
