"""A consultation's title, description and guiding questions in the other languages.

English (the ``consultations`` row and its ``guiding_questions``) is required;
each other interface language may have a :class:`ConsultationText`. A reader
sees their own language, and English for whatever is not translated, with a note.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import JSON, ForeignKey, String, Text, Uuid, select
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from consult.extensions import db
from consult.inputs.models import Consultation
from consult.reference.models import Priority


class ConsultationText(db.Model):
    __tablename__ = "consultation_texts"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: priority slug -> the guiding questions in this language, in order
    questions: Mapped[dict] = mapped_column(JSON, default=dict)

    consultation: Mapped[Consultation] = relationship(
        backref=backref("texts", cascade="all, delete-orphan", lazy="selectin")
    )


@dataclass
class LocalText:
    """What a reader sees of a consultation in ``locale``."""

    title: str
    description: str
    #: (priority, questions) in the priorities' order
    questions: list[tuple[Priority, list[str]]]
    locale: str
    #: True when some of it is shown in English because it is not translated
    partly_english: bool

    def question_list(self) -> list[tuple[str, str]]:
        """(priority slug, question) pairs, in the priorities' order."""
        return [(p.slug, text) for p, questions in self.questions for text in questions]


def text_in(consultation: Consultation, locale: str) -> ConsultationText | None:
    return next((t for t in consultation.texts if t.locale == locale), None)


def english_questions(consultation: Consultation) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for question in consultation.questions:
        grouped.setdefault(question.priority_slug, []).append(question.text)
    return grouped


def local_text(consultation: Consultation, locale: str) -> LocalText:
    """The consultation in ``locale``, falling back to English part by part."""
    english = english_questions(consultation)
    own = text_in(consultation, locale) if locale != "en" else None
    fallback = locale != "en" and own is None
    title = own.title if own else consultation.title
    description = consultation.description or ""
    if own is not None and own.description:
        description = own.description
    elif own is not None and consultation.description:
        fallback = True
    translated = (own.questions or {}) if own is not None else {}
    groups: dict[str, list[str]] = {}
    for slug in set(english) | set(translated):
        if translated.get(slug):
            groups[slug] = translated[slug]
        else:
            groups[slug] = english.get(slug, [])
            fallback = fallback or (own is not None and bool(groups[slug]))
    priorities = db.session.scalars(select(Priority).order_by(Priority.position))
    questions = [(p, groups[p.slug]) for p in priorities if groups.get(p.slug)]
    return LocalText(title, description, questions, locale, fallback)
