"""Every identifier the detector finds must be handled before an input leaves for HQ.

On a non-attributable or HQ-direct input, the review page and the API list each
finding with its kind; the moderator redacts it (``redaction.redact_identifiers``)
or dismisses it here ("not an identifier"). Forwarding is refused while any is
left. A dismissal is stored as a fingerprint of the finding (a hash, never the
text) and recorded in the audit log by kind and field, without the text.
External digests still redact whatever the detector finds when they are
generated, dismissed or not.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from consult.audit.services import record
from consult.extensions import db
from consult.identifiers import Finding
from consult.inputs.models import Input
from consult.inputs.states import Attribution, Status
from consult.review.conflicts import check_version, save_input
from consult.review.earlier_redactions import earlier_redactions, reappearing
from consult.review.redaction import identifier_findings
from consult.review.rules import (
    ReviewError,
    require_not_held_by_other,
    require_open,
    require_reviewer,
)
from consult.timeutil import utcnow


class FindingDismissal(db.Model):
    """A finding a moderator judged not to identify anyone (stored without its text)."""

    __tablename__ = "finding_dismissals"
    __table_args__ = (UniqueConstraint("input_id", "field", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    input_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inputs.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    dismissed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    dismissed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


@dataclass(frozen=True)
class FieldFinding:
    """One finding in one field of an input, as the page and the API show it."""

    field: str
    finding: Finding
    fingerprint: str
    dismissed: bool

    @property
    def key(self) -> str:
        """What a form or an API call sends back to redact or dismiss it."""
        return f"{self.field}:{self.finding.start}:{self.finding.end}"

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "field": self.field,
            "kind": self.finding.kind,
            "text": self.finding.text,
            "start": self.finding.start,
            "end": self.finding.end,
            "dismissed": self.dismissed,
        }


class FindingsPending(ReviewError):
    """Forwarding refused: findings neither redacted nor dismissed."""

    def __init__(self, pending: Sequence[FieldFinding]) -> None:
        super().__init__(
            ngettext(
                "Redact or dismiss the %(num)d possible identifier listed before forwarding.",
                "Redact or dismiss the %(num)d possible identifiers listed before forwarding.",
                len(pending),
            )
        )
        self.pending = list(pending)


def fingerprint(item: Input, field: str, finding: Finding) -> str:
    """A stable hash of a finding in one input's field: its text is not kept."""
    folded = " ".join(finding.text.split()).casefold()
    raw = f"{item.id}|{field}|{finding.kind}|{folded}".encode()
    return hashlib.sha256(raw).hexdigest()


class EarlierRedactionsPending(ReviewError):
    """Forwarding refused: a revision contains again what was redacted in an earlier version."""

    def __init__(self, passages: Sequence[str]) -> None:
        super().__init__(
            ngettext(
                "%(num)d passage redacted in the earlier version is in the new text again: "
                "redact it before forwarding.",
                "%(num)d passages redacted in the earlier version are in the new text again: "
                "redact them before forwarding.",
                len(passages),
            )
        )
        self.passages = list(passages)


def needs_clearance(item: Input) -> bool:
    """Inputs whose findings must be handled before they leave for HQ.

    Those whose organisation must never be recognisable outside the EU
    institutions, and every revision of an input that had passages redacted.
    """
    if item.attribution == Attribution.NON_ATTRIBUTABLE or bool(item.is_hq_direct):
        return True
    return item.revision > 1 and bool(earlier_redactions(item))


def _dismissed(item: Input) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(FindingDismissal.field, FindingDismissal.fingerprint).where(
            FindingDismissal.input_id == item.id
        )
    )
    return {(row.field, row.fingerprint) for row in rows}


def field_findings(
    item: Input, found: dict[str, list[Finding]] | None = None
) -> list[FieldFinding]:
    """Every finding of the reviewed text, each marked dismissed or not."""
    found = identifier_findings(item) if found is None else found
    dismissed = _dismissed(item)
    result = []
    for field, findings in found.items():
        for finding in findings:
            mark = fingerprint(item, field, finding)
            result.append(FieldFinding(field, finding, mark, (field, mark) in dismissed))
    return result


def pending_findings(
    item: Input, found: dict[str, list[Finding]] | None = None
) -> list[FieldFinding]:
    """The findings that still stop the input from being forwarded (none if it needs no check)."""
    if not needs_clearance(item):
        return []
    return [f for f in field_findings(item, found) if not f.dismissed]


def require_findings_handled(item: Input) -> None:
    """Refuse to forward while a finding is neither redacted nor dismissed.

    Nor while a passage redacted in an earlier version is in the text again.
    """
    back = reappearing(item) if item.revision > 1 else []
    if back:
        raise EarlierRedactionsPending(back)
    pending = pending_findings(item)
    if pending:
        raise FindingsPending(pending)


def dismiss_findings(
    user: Any, item: Input, keys: Iterable[str], *, version: int | str | None
) -> int:
    """Dismiss the findings named by ``keys`` (``field:start:end``); return how many.

    Only keys that are still findings of the current text count; the audit log
    gets the kinds and fields, never the text.
    """
    require_reviewer(user, item)
    check_version(item, version)
    require_open(item)
    require_not_held_by_other(user, item)
    wanted = set(keys)
    chosen = [f for f in field_findings(item) if f.key in wanted and not f.dismissed]
    if not chosen:
        raise ReviewError(_("Tick at least one possible identifier to dismiss."))
    now = utcnow()
    for item_finding in chosen:
        db.session.add(
            FindingDismissal(
                input_id=item.id,
                field=item_finding.field,
                kind=item_finding.finding.kind,
                fingerprint=item_finding.fingerprint,
                dismissed_by_id=user.id,
                dismissed_at=now,
            )
        )
    if item.status == Status.SUBMITTED:
        item.status = Status.IN_REVIEW
    save_input(item)
    record(
        "input.findings_dismissed",
        user,
        item,
        count=len(chosen),
        kinds=sorted({f.finding.kind for f in chosen}),
        fields=sorted({f.field for f in chosen}),
    )
    return len(chosen)
