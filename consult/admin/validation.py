"""Refusals of administrative changes, and the slug rule every list shares."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from consult.errors import DomainError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class AdminError(DomainError):
    """An administrative change that cannot be made; ``fields`` says where and why."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for msgs in fields.values() for m in msgs), fields)


def refuse(field_name: str, message: str) -> AdminError:
    return AdminError({field_name: [message]})


def check_slug(slug: str, field_name: str = "slug", max_length: int = 40) -> str:
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > max_length:
        raise refuse(
            field_name,
            _(
                "Use lower-case letters, digits and single hyphens, at most %(max)s characters "
                "(e.g. eud-jordan).",
                max=max_length,
            ),
        )
    return slug
