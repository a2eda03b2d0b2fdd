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
    grouped: dict[str, list[str]] = {}
    for question in consultation.questions:
        grouped.setdefault(question.priority_slug, []).append(question.text)
    return grouped


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
    if changed:
        record("consultation.updated", actor, consultation, changed=changed)
    db.session.flush()
    return changed
