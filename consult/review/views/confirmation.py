"""The second page of a return or decline: what the CSO will read, and one button to confirm.

It works without JavaScript: the decision travels in hidden fields with the
version the reviewer saw, so a change made meanwhile is still a conflict.
"""

from __future__ import annotations

from flask import render_template

from consult.inputs.models import Input
from consult.review.services import DECLINE_REASONS


def render_confirmation(
    item: Input, action: str, message: str | None, reason: str | None, *, saved: bool
) -> tuple[str, int]:
    html = render_template(
        "review/confirm.html",
        item=item,
        action=action,
        message=message or "",
        reason=reason or "",
        reason_label=DECLINE_REASONS.get(reason or ""),
        saved=saved,
    )
    return html, 200
