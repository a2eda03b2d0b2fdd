"""The editable reference lists: priorities, types, themes, levels, addressees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.admin.validation import AdminError, check_slug
from consult.audit.services import record
from consult.auth.models import User
from consult.extensions import db
from consult.reference.models import Addressee, InputType, Level, Priority, Theme


@dataclass(frozen=True)
class ReferenceKind:
    model: type
    label: str
    name_max: int


def reference_kinds() -> dict[str, ReferenceKind]:
    """The editable lists, by the name used in URLs."""
    return {
        "priorities": ReferenceKind(Priority, _("Priorities"), 160),
        "types": ReferenceKind(InputType, _("Input types"), 120),
        "themes": ReferenceKind(Theme, _("Themes"), 120),
        "levels": ReferenceKind(Level, _("Levels"), 80),
        "addressees": ReferenceKind(Addressee, _("Addressees"), 120),
    }


def reference_entries(kind: ReferenceKind) -> list[Any]:
    return list(db.session.scalars(select(kind.model).order_by(kind.model.position)))


def rename_reference(
    actor: User, kind_name: str, kind: ReferenceKind, names: dict[str, str]
) -> list[str]:
    """Change entries' names (slugs never change); returns the slugs renamed."""
    problems: dict[str, list[str]] = {}
    entries = {e.slug: e for e in reference_entries(kind)}
    cleaned: dict[str, str] = {}
    for slug, name in names.items():
        name = (name or "").strip()
        if slug not in entries:
            problems[f"name__{slug}"] = [_("Unknown entry.")]
        elif not name:
            problems[f"name__{slug}"] = [_("A name cannot be empty.")]
        elif len(name) > kind.name_max:
            problems[f"name__{slug}"] = [_("Use at most %(max)s characters.", max=kind.name_max)]
        else:
            cleaned[slug] = name
    if problems:
        raise AdminError(problems)
    renamed: list[str] = []
    for slug, name in cleaned.items():
        entry = entries[slug]
        if entry.name_en != name:
            record(
                "reference.renamed",
                actor,
                object_type=kind_name,
                object_id=slug,
                before=entry.name_en,
                after=name,
            )
            entry.name = name
            renamed.append(slug)
    db.session.flush()
    return renamed


def add_reference(actor: User, kind_name: str, kind: ReferenceKind, slug: str, name: str) -> Any:
    problems: dict[str, list[str]] = {}
    try:
        slug = check_slug(slug)
    except AdminError as exc:
        problems.update(exc.fields)
    else:
        if db.session.get(kind.model, slug) is not None:
            problems["slug"] = [_("This slug is already used in this list.")]
    name = (name or "").strip()
    if not name:
        problems["name"] = [_("Give the new entry a name.")]
    elif len(name) > kind.name_max:
        problems["name"] = [_("Use at most %(max)s characters.", max=kind.name_max)]
    if problems:
        raise AdminError(problems)
    position = (db.session.scalar(select(func.max(kind.model.position))) or 0) + 1
    entry = kind.model(slug=slug, name=name, position=position)
    db.session.add(entry)
    record("reference.added", actor, object_type=kind_name, object_id=slug, name=name)
    db.session.flush()
    return entry
