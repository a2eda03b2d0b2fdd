"""What a report says about its consultation, copied out of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consult.inputs.models import Consultation


@dataclass(frozen=True)
class GuidingQuestionInfo:
    priority_slug: str
    text: str


@dataclass(frozen=True)
class ConsultationInfo:
    """What a report says about its consultation, copied out of the database.

    Downloads stream after the request's database session has ended, so the
    report must not lazy-load from an ORM object then.
    """

    slug: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    questions: tuple[GuidingQuestionInfo, ...] = ()

    @classmethod
    def of(cls, consultation: Consultation) -> ConsultationInfo:
        return cls(
            slug=consultation.slug,
            title=consultation.title,
            description=consultation.description or "",
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            questions=tuple(
                GuidingQuestionInfo(q.priority_slug, q.text) for q in consultation.questions
            ),
        )
