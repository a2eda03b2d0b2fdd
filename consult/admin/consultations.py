"""Consultations: dates, countries in scope and guiding questions per priority."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.admin.validation import AdminError, check_slug
from consult.audit.services import record
from consult.auth.models import User
from consult.extensions import db
from consult.inputs.consultation_texts import ConsultationText, english_questions, text_in
from consult.inputs.models import Consultation, GuidingQuestion
from consult.reference.models import Country, Priority


@dataclass
class ConsultationData:
    slug: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    country_codes: list[str]
    #: priority slug -> guiding questions, in order
    questions: dict[str, list[str]] = field(default_factory=dict)
    #: locale -> the same in another language (optional; English is required)
    texts: dict[str, LanguageText] = field(default_factory=dict)


@dataclass
class LanguageText:
    title: str = ""
    description: str = ""
    questions: dict[str, list[str]] = field(default_factory=dict)

    def cleaned(self) -> LanguageText:
        questions = {
            slug: [t.strip() for t in texts if t.strip()] for slug, texts in self.questions.items()
        }
        return LanguageText(
            self.title.strip(),
            self.description.strip(),
            {slug: texts for slug, texts in questions.items() if texts},
        )

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.description or self.questions)


def _check_consultation(data: ConsultationData, current: Consultation | None) -> list[Country]:
    problems: dict[str, list[str]] = {}
    try:
        check_slug(data.slug, max_length=80)
    except AdminError as exc:
        problems.update(exc.fields)
    else:
        same = db.session.scalar(select(Consultation).where(Consultation.slug == data.slug))
        if same is not None and same is not current:
            problems["slug"] = [_("Another consultation already uses this slug.")]
    if not data.title.strip():
        problems["title"] = [_("Give the consultation a title.")]
    if data.closes_at <= data.opens_at:
        problems["closes_at"] = [_("The consultation must close after it opens.")]
    countries = [db.session.get(Country, code) for code in data.country_codes]
    if not data.country_codes:
        problems["countries"] = [_("Choose at least one country in scope.")]
    elif any(c is None for c in countries):
        problems["countries"] = [_("Unknown country.")]
    for slug in data.questions:
        if db.session.get(Priority, slug) is None:
            problems.setdefault("questions", []).append(_("Unknown priority %(slug)s.", slug=slug))
    for locale, text in data.texts.items():
        text = text.cleaned()
        if not text.is_empty and not text.title:
            problems[f"text_{locale}__title"] = [
                _("Give the title in this language too, or leave this language empty.")
            ]
    if problems:
        raise AdminError(problems)
    return [c for c in countries if c is not None]


def _set_questions(consultation: Consultation, questions: dict[str, list[str]]) -> None:
    ordered = db.session.scalars(select(Priority.slug).order_by(Priority.position)).all()
    consultation.questions.clear()
    db.session.flush()
    position = 0
    for slug in ordered:
        for text in questions.get(slug, []):
            text = text.strip()
            if text:
                consultation.questions.append(
                    GuidingQuestion(priority_slug=slug, text=text, position=position)
                )
                position += 1


def questions_by_priority(consultation: Consultation) -> dict[str, list[str]]:
    return english_questions(consultation)


def create_consultation(actor: User, data: ConsultationData) -> Consultation:
    countries = _check_consultation(data, None)
    consultation = Consultation(
        slug=data.slug.strip(),
        title=data.title.strip(),
        description=data.description.strip(),
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        countries=countries,
    )
    db.session.add(consultation)
    db.session.flush()
    _set_questions(consultation, data.questions)
    _set_texts(consultation, data.texts)
    db.session.flush()
    record(
        "consultation.created",
        actor,
        consultation,
        slug=consultation.slug,
        countries=consultation.country_codes,
        questions=len(consultation.questions),
    )
    return consultation


def update_consultation(
    actor: User, consultation: Consultation, data: ConsultationData
) -> list[str]:
    countries = _check_consultation(data, consultation)
    changed: list[str] = []
    for name, value in (
        ("slug", data.slug.strip()),
        ("title", data.title.strip()),
        ("description", data.description.strip()),
        ("opens_at", data.opens_at),
        ("closes_at", data.closes_at),
    ):
        if getattr(consultation, name) != value:
            setattr(consultation, name, value)
            changed.append(name)
    if sorted(consultation.country_codes) != sorted(c.code for c in countries):
        consultation.countries = countries
        changed.append("countries")
    wanted = {
        slug: [t.strip() for t in texts if t.strip()] for slug, texts in data.questions.items()
    }
    wanted = {slug: texts for slug, texts in wanted.items() if texts}
    if questions_by_priority(consultation) != wanted:
        _set_questions(consultation, wanted)
        changed.append("questions")
    changed.extend(f"text_{locale}" for locale in _set_texts(consultation, data.texts))
    if changed:
        record("consultation.updated", actor, consultation, changed=changed)
    db.session.flush()
    return changed


def _set_texts(consultation: Consultation, texts: dict[str, LanguageText]) -> list[str]:
    """Store the other languages' texts; an empty language is removed. Returns the changed."""
    changed: list[str] = []
    for locale, given in texts.items():
        text = given.cleaned()
        stored = text_in(consultation, locale)
        if text.is_empty:
            if stored is not None:
                consultation.texts.remove(stored)
                changed.append(locale)
            continue
        if stored is None:
            stored = ConsultationText(locale=locale, title="", description="", questions={})
            consultation.texts.append(stored)
        values = {"title": text.title, "description": text.description, "questions": text.questions}
        if any(getattr(stored, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(stored, name, value)
            changed.append(locale)
    return changed


def texts_for_form(consultation: Consultation) -> dict[str, LanguageText]:
    return {
        t.locale: LanguageText(t.title, t.description, dict(t.questions or {}))
        for t in consultation.texts
    }
