"""Statuses, attribution choices and routing targets of an input."""

from __future__ import annotations

from enum import StrEnum

from consult.i18n import N_


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    FORWARDED = "forwarded"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    USED = "used"


STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.IN_REVIEW: N_("In review"),
    Status.RETURNED: N_("Returned to you"),
    Status.FORWARDED: N_("Forwarded to HQ"),
    Status.DECLINED: N_("Declined"),
    Status.WITHDRAWN: N_("Withdrawn"),
    Status.USED: N_("Used by HQ"),
}

#: Statuses a reviewer works on.
OPEN_FOR_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})
#: Statuses that reached HQ and feed digests.
FORWARDED_STATUSES = frozenset({Status.FORWARDED, Status.USED})
#: Statuses whose files the organisation may add or take off: nobody at the EU
#: has the input yet (draft), or a moderator gave it back to be revised.
FILES_EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class Attribution(StrEnum):
    NON_ATTRIBUTABLE = "non-attributable"
    ATTRIBUTABLE = "attributable"
    EU_ONLY = "eu-only"


ATTRIBUTION_LABELS = {
    Attribution.NON_ATTRIBUTABLE: N_("Non-attributable (Chatham House Rule)"),
    Attribution.ATTRIBUTABLE: N_("Attributable"),
    Attribution.EU_ONLY: N_("EU staff only"),
}

ATTRIBUTION_EXPLANATIONS = {
    Attribution.NON_ATTRIBUTABLE: N_(
        "Reports say only \u201ca CSO working in\u201d your countries; your organisation "
        "is never named."
    ),
    Attribution.ATTRIBUTABLE: N_("Reports may name your organisation as the source of this input."),
    Attribution.EU_ONLY: N_(
        "Only EU staff read it; it never appears in a report meant to leave the EU institutions."
    ),
}


class RoutedTo(StrEnum):
    DELEGATION = "delegation"
    HQ = "hq"
