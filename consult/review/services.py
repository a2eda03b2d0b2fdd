"""What moderators and HQ analysts do to an input: claim, correct, redact, merge, decide.

Every function takes the acting user and the objects, enforces the rules,
records a review event (the input's timeline) and an audit row, and flushes;
the view commits. Each save carries the version the form was loaded with:
see :mod:`consult.review.conflicts`.

This module gathers the public names of the topic modules, so callers import
one place (``from consult.review import services``):

- :mod:`consult.review.rules`: who may review, :class:`ReviewError`
- :mod:`consult.review.conflicts`: versions, :class:`ConflictError`, ``changes_since``
- :mod:`consult.review.timeline`: review events and how they read
- :mod:`consult.review.claims`: claim, release, take over
- :mod:`consult.review.corrections`: a reviewer's changes to classification and text
- :mod:`consult.review.redaction`: identifiers and passages
- :mod:`consult.review.earlier_redactions`: what was redacted before a revision
- :mod:`consult.review.duplicates`: merge candidates and merging
- :mod:`consult.review.decisions`: forward, return, decline, bulk forward, HQ feedback
- :mod:`consult.review.queue`: the paged, filtered queue
"""

from __future__ import annotations

from consult.review.claims import claim, release, take_over
from consult.review.conflicts import ConflictError, changes_since
from consult.review.corrections import update_review
from consult.review.decisions import (
    CONFIRMED_DECISIONS,
    DECISIONS,
    DECLINE_REASONS,
    BulkResult,
    Proposal,
    bulk_forward,
    check_decision,
    decide,
    record_hq_feedback,
)
from consult.review.duplicates import merge, merge_candidates
from consult.review.earlier_redactions import earlier_redactions, reappearing
from consult.review.findings import (
    FindingsPending,
    dismiss_findings,
    field_findings,
    needs_clearance,
    pending_findings,
)
from consult.review.queue import QueueFilterError, QueuePage, queue_page
from consult.review.redaction import identifier_findings, redact_identifiers, redact_passages
from consult.review.rules import ReviewError, can_review
from consult.review.timeline import FIELD_LABELS, describe_event

__all__ = [
    "BulkResult",
    "CONFIRMED_DECISIONS",
    "ConflictError",
    "DECISIONS",
    "DECLINE_REASONS",
    "FIELD_LABELS",
    "FindingsPending",
    "QueueFilterError",
    "Proposal",
    "QueuePage",
    "ReviewError",
    "bulk_forward",
    "can_review",
    "changes_since",
    "check_decision",
    "claim",
    "decide",
    "describe_event",
    "dismiss_findings",
    "earlier_redactions",
    "field_findings",
    "identifier_findings",
    "merge",
    "merge_candidates",
    "needs_clearance",
    "pending_findings",
    "queue_page",
    "reappearing",
    "record_hq_feedback",
    "redact_identifiers",
    "redact_passages",
    "release",
    "take_over",
    "update_review",
]
