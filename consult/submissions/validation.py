"""Checking the answers of an input, by field: for a draft, or complete for a submission."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import BODY_MAX, RECOMMENDATION_MAX, TITLE_MAX
from consult.inputs.states import Attribution
from consult.reference.data import INPUT_LANGUAGES
from consult.reference.models import Addressee, InputType, Level, Priority, Theme
from consult.submissions.input_data import InputData

LANGUAGE_CODES = frozenset(code for code, _name in INPUT_LANGUAGES)


def _known(model: type, key: str | None) -> bool:
    return key is not None and db.session.get(model, key) is not None


def _unknown(model: Any, keys: list[str]) -> list[str]:
    """The ``keys`` that name no row of ``model`` (one statement for the whole list)."""
    wanted = {key for key in keys if key}
    if not wanted:
        return []
    known = set(db.session.scalars(select(model.slug).where(model.slug.in_(wanted))))
    return [key for key in keys if key and key not in known]


def validate(data: InputData, *, complete: bool) -> dict[str, list[str]]:
    """Problems with ``data`` by field; ``complete`` adds what a submission needs."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if len(data.title) > TITLE_MAX:
        add("title", _("Use at most %(n)d characters.") % {"n": TITLE_MAX})
    if len(data.body) > BODY_MAX:
        add("body", _("Use at most %(n)d characters.") % {"n": BODY_MAX})
    if data.priority_slug and not _known(Priority, data.priority_slug):
        add("priority_slug", _("Choose one of the priorities listed."))
    if data.level_slug and not _known(Level, data.level_slug):
        add("level_slug", _("Choose one of the levels listed."))
    if data.type_slug and not _known(InputType, data.type_slug):
        add("type_slug", _("Choose one of the input types listed."))
    scope = set(data.consultation.country_codes)
    outside = [code for code in data.country_codes if code not in scope]
    if outside:
        add(
            "country_codes",
            _("This consultation does not cover: %(codes)s.") % {"codes": ", ".join(outside)},
        )
    if _unknown(Theme, data.theme_slugs):
        add("theme_slugs", _("Choose themes from the list."))
    if data.language not in LANGUAGE_CODES:
        add("language", _("Choose a language from the list."))
    if data.attribution not in {a.value for a in Attribution}:
        add("attribution", _("Choose one of the three attribution choices."))
    unknown_addressees = set(_unknown(Addressee, [a for a, _text in data.recommendations]))
    for position, (addressee, text) in enumerate(data.recommendations, start=1):
        if len(text) > RECOMMENDATION_MAX:
            add(
                "recommendations",
                _("Recommendation %(pos)d: use at most %(n)d characters.")
                % {"pos": position, "n": RECOMMENDATION_MAX},
            )
        if not addressee and complete:
            add(
                "recommendations",
                _("Recommendation %(pos)d: say whom it is addressed to.") % {"pos": position},
            )
        elif addressee in unknown_addressees:
            add(
                "recommendations",
                _("Recommendation %(pos)d: choose an addressee from the list.") % {"pos": position},
            )
    if complete:
        if not data.priority_slug:
            add("priority_slug", _("Choose the priority your input is about."))
        if not data.country_codes:
            add("country_codes", _("Choose at least one country."))
        if not data.level_slug:
            add("level_slug", _("Choose a level."))
        if not data.type_slug:
            add("type_slug", _("Choose the type of input."))
        if not data.title:
            add("title", _("Give your input a title."))
        if not data.body:
            add("body", _("Write your input."))
        if not data.recommendations:
            add("recommendations", _("Write at least one recommendation."))
    return errors
