"""Statuses, attribution choices and routing targets of an input."""

from __future__ import annotations

from enum import StrEnum


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
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.IN_REVIEW: "In review",
    Status.RETURNED: "Returned to you",
    Status.FORWARDED: "Forwarded to HQ",
    Status.DECLINED: "Declined",
    Status.WITHDRAWN: "Withdrawn",
    Status.USED: "Used by HQ",
}

#: Statuses a reviewer works on.
OPEN_FOR_REVIEW = frozenset({Status.SUBMITTED, Status.IN_REVIEW})
#: Statuses that reached HQ and feed digests.
FORWARDED_STATUSES = frozenset({Status.FORWARDED, Status.USED})


class Attribution(StrEnum):
    NON_ATTRIBUTABLE = "non-attributable"
    ATTRIBUTABLE = "attributable"
    EU_ONLY = "eu-only"


ATTRIBUTION_LABELS = {
    Attribution.NON_ATTRIBUTABLE: "Non-attributable (Chatham House Rule)",
    Attribution.ATTRIBUTABLE: "Attributable",
    Attribution.EU_ONLY: "EU staff only",
}

ATTRIBUTION_EXPLANATIONS = {
    Attribution.NON_ATTRIBUTABLE: (
        "Reports say only \u201ca CSO working in\u201d your countries; your organisation "
        "is never named."
    ),
    Attribution.ATTRIBUTABLE: "Reports may name your organisation as the source of this input.",
    Attribution.EU_ONLY: (
        "Only EU staff read it; it never appears in a report meant to leave the EU institutions."
    ),
}


class RoutedTo(StrEnum):
    DELEGATION = "delegation"
    HQ = "hq"
