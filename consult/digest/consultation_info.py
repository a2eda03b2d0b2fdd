"""What a report says about its consultation, copied out of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consult.i18n import current_locale
from consult.inputs.consultation_texts import local_text
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
    #: True when some of the texts are in English because they are not translated
    partly_english: bool = False

    @classmethod
    def of(cls, consultation: Consultation, locale: str | None = None) -> ConsultationInfo:
        """The consultation's texts in ``locale`` (default: the current one), else English."""
        texts = local_text(consultation, locale or current_locale())
        return cls(
            slug=consultation.slug,
            title=texts.title,
            description=texts.description,
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            questions=tuple(GuidingQuestionInfo(*pair) for pair in texts.question_list()),
            partly_english=texts.partly_english,
        )
