"""How the API answers a service's refusal: one mapping for every endpoint.

A stale ``version`` is 409 with the current version and what changed; wrong
values are 400 naming the fields (as the API calls them); an action the rules
do not allow is 422. The blueprint's handler (:func:`consult.actions.run_actions`)
rolls the request back first.
"""

from __future__ import annotations

from consult.api.requests import ApiError, validation_error
from consult.digest.releases.errors import ReleaseError
from consult.errors import DomainError
from consult.review.conflicts import ConflictError
from consult.review.findings import FindingsPending
from consult.submissions.attachments import AttachmentError

#: Service field names as the API (and its error ``fields``) calls them.
API_FIELD_NAMES = {
    "priority_slug": "priority",
    "country_codes": "countries",
    "level_slug": "level",
    "type_slug": "type",
    "theme_slugs": "themes",
    "is_hq_direct": "hq_direct",
    "input_type": "type",
}


def refusal_error(exc: DomainError) -> ApiError:
    """The JSON error of a refusal raised by a service."""
    if isinstance(exc, ConflictError):
        return ApiError(
            409,
            "conflict",
            str(exc),
            current_version=exc.current_version,
            changes=[str(line) for line in exc.changes],
        )
    if isinstance(exc, FindingsPending):
        # Forwarding waits on these: each is to be redacted or dismissed first.
        return ApiError(
            409, "findings_pending", exc.message, findings=[f.as_json() for f in exc.pending]
        )
    if isinstance(exc, ReleaseError):
        return ApiError(422, "release_refused", exc.message)
    fields = {
        API_FIELD_NAMES.get(name, name): [str(m) for m in messages]
        for name, messages in exc.fields.items()
        if name != "__all__"
    }
    if fields:
        return validation_error(fields, exc.message)
    if isinstance(exc, AttachmentError):
        return ApiError(422, "unprocessable", exc.message, {"file": [exc.message]})
    return ApiError(422, "unprocessable", exc.message)
