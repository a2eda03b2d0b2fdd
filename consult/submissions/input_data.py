"""What a CSO member types into the input form, read from an input and written onto one."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import Consultation, Input, Recommendation
from consult.inputs.states import Attribution
from consult.reference.models import Theme


@dataclass
class InputData:
    """Everything a CSO member types into the input form (or sends through the API)."""

    consultation: Consultation
    priority_slug: str | None = None
    country_codes: list[str] = field(default_factory=list)
    level_slug: str | None = None
    type_slug: str | None = None
    title: str = ""
    body: str = ""
    recommendations: list[tuple[str, str]] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    language: str = "en"
    attribution: str = Attribution.NON_ATTRIBUTABLE
    is_hq_direct: bool = False

    def cleaned(self) -> InputData:
        """The same data with blank recommendation rows and repeated countries dropped."""
        countries: list[str] = []
        for code in self.country_codes:
            code = (code or "").strip().upper()
            if code and code not in countries:
                countries.append(code)
        recommendations = [
            ((addressee or "").strip(), (text or "").strip())
            for addressee, text in self.recommendations
            if (text or "").strip()
        ]
        return InputData(
            consultation=self.consultation,
            priority_slug=(self.priority_slug or "").strip() or None,
            country_codes=countries,
            level_slug=(self.level_slug or "").strip() or None,
            type_slug=(self.type_slug or "").strip() or None,
            title=(self.title or "").strip(),
            body=(self.body or "").strip(),
            recommendations=recommendations,
            theme_slugs=list(dict.fromkeys(s for s in self.theme_slugs if s)),
            language=(self.language or "en").strip() or "en",
            attribution=self.attribution or Attribution.NON_ATTRIBUTABLE,
            is_hq_direct=bool(self.is_hq_direct),
        )


def data_from_input(item: Input) -> InputData:
    """The form data of a saved input (to resume a draft or revise a returned input)."""
    return InputData(
        consultation=item.consultation,
        priority_slug=item.priority_slug,
        country_codes=item.country_codes,
        level_slug=item.level_slug,
        type_slug=item.type_slug,
        title=item.title,
        body=item.body,
        recommendations=[(r.addressee_slug, r.text) for r in item.recommendations],
        theme_slugs=[t.slug for t in item.themes],
        language=item.language,
        attribution=item.attribution,
        is_hq_direct=item.is_hq_direct,
    )


def apply_data(item: Input, data: InputData) -> None:
    item.consultation_id = data.consultation.id
    item.consultation = data.consultation
    item.priority_slug = data.priority_slug
    item.level_slug = data.level_slug
    item.type_slug = data.type_slug
    item.title = data.title
    item.body = data.body
    item.language = data.language
    item.attribution = data.attribution
    item.is_hq_direct = data.is_hq_direct
    item.set_countries(data.country_codes)
    # One statement for every theme (validation has checked that each exists).
    slugs = data.theme_slugs
    found = db.session.scalars(select(Theme).where(Theme.slug.in_(slugs))) if slugs else []
    by_slug = {theme.slug: theme for theme in found}
    item.themes = [by_slug[slug] for slug in slugs if slug in by_slug]
    item.recommendations = [
        Recommendation(position=pos, addressee_slug=addressee or "eu", text=text)
        for pos, (addressee, text) in enumerate(data.recommendations)
        if addressee or text
    ]
