"""Administration: accounts, organisations, delegations, consultations, reference data, audit.

Every function takes the acting admin, enforces the rules, records an audit
event and flushes; the view commits. Refusals raise :class:`AdminError`,
whose ``fields`` map a form field to the messages about it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.audit.models import AuditEvent
from consult.audit.services import record
from consult.auth.models import User, normalise_email, user_by_email
from consult.auth.passwords import password_problems
from consult.auth.roles import Role
from consult.auth.services import AccountError, create_user
from consult.auth.session import end_all_sessions
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import Organisation
from consult.reference.models import (
    Addressee,
    Country,
    Delegation,
    InputType,
    Level,
    Priority,
    Theme,
)
from consult.submissions.models import Consultation, GuidingQuestion, Input

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE_SIZE = 100
#: Keys never shown from an audit event's detail, should one ever carry them.
HIDDEN_DETAIL_KEYS = frozenset({"ip", "ip_address", "remote_addr", "address", "user_agent"})


class AdminError(ValueError):
    """An administrative change that cannot be made; ``fields`` says where and why."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for msgs in fields.values() for m in msgs))
        self.fields = fields


def _refuse(field_name: str, message: str) -> AdminError:
    return AdminError({field_name: [message]})


def _check_slug(slug: str, field_name: str = "slug", max_length: int = 40) -> str:
    slug = (slug or "").strip()
    if not SLUG_RE.match(slug) or len(slug) > max_length:
        raise _refuse(
            field_name,
            _(
                "Use lower-case letters, digits and single hyphens, at most %(max)s characters "
                "(e.g. eud-jordan).",
                max=max_length,
            ),
        )
    return slug


# --- the index page --------------------------------------------------------------------


def dashboard_counts() -> dict[str, int]:
    """Numbers shown on the administration index."""

    def count(stmt: Any) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "users": count(select(func.count()).select_from(User)),
        "inactive_users": count(
            select(func.count()).select_from(User).where(User.active.is_(False))
        ),
        "organisations": count(select(func.count()).select_from(Organisation)),
        "unverified_organisations": count(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.is_verified.is_(False))
        ),
        "delegations": count(select(func.count()).select_from(Delegation)),
        "countries_to_hq": count(
            select(func.count()).select_from(Country).where(Country.delegation_slug.is_(None))
        ),
        "consultations": count(select(func.count()).select_from(Consultation)),
        "inputs": count(select(func.count()).select_from(Input)),
        "audit_events": count(select(func.count()).select_from(AuditEvent)),
    }


# --- users -----------------------------------------------------------------------------


@dataclass
class UserFilters:
    role: str = ""
    organisation_id: str = ""
    delegation_slug: str = ""
    active: str = ""  # "", "yes" or "no"
    email: str = ""


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def user_page(filters: UserFilters, after: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """Users matching ``filters`` in email order, ``limit`` at a time after email ``after``."""
    stmt = (
        select(User)
        .options(selectinload(User.organisation), selectinload(User.delegation))
        .order_by(User.email)
    )
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.organisation_id:
        try:
            stmt = stmt.where(User.organisation_id == uuid.UUID(filters.organisation_id))
        except ValueError:
            return Page([], None)
    if filters.delegation_slug:
        stmt = stmt.where(User.delegation_slug == filters.delegation_slug)
    if filters.active == "yes":
        stmt = stmt.where(User.active.is_(True))
    elif filters.active == "no":
        stmt = stmt.where(User.active.is_(False))
    if filters.email:
        stmt = stmt.where(User.email.contains(normalise_email(filters.email), autoescape=True))
    if after:
        stmt = stmt.where(User.email > after)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    next_cursor = rows[limit - 1].email if len(rows) > limit else None
    return Page(rows[:limit], next_cursor)


def create_account(
    actor: User,
    *,
    email: str,
    role: str,
    full_name: str = "",
    organisation_id: str | None = None,
    delegation_slug: str | None = None,
    is_org_admin: bool = False,
    password: str | None = None,
) -> User:
    """Create an account for ``role``; a CSO member needs an organisation, a moderator
    a delegation. ``password`` None leaves the account without one (an invitation sets it).
    """
    problems: dict[str, list[str]] = {}
    email = normalise_email(email)
    if not email or "@" not in email:
        problems.setdefault("email", []).append(_("Enter an email address."))
    elif user_by_email(email) is not None:
        problems.setdefault("email", []).append(
            _("An account with this email address already exists.")
        )
    try:
        role_value = Role(role)
    except ValueError:
        role_value = None
        problems.setdefault("role", []).append(_("Choose a role."))
    organisation = None
    if organisation_id:
        try:
            organisation = db.session.get(Organisation, uuid.UUID(str(organisation_id)))
        except ValueError:
            organisation = None
        if organisation is None:
            problems.setdefault("organisation", []).append(_("Choose an organisation."))
    delegation = db.session.get(Delegation, delegation_slug) if delegation_slug else None
    if delegation_slug and delegation is None:
        problems.setdefault("delegation", []).append(_("Choose a delegation."))
    if role_value == Role.CSO:
        if organisation is None and "organisation" not in problems:
            problems.setdefault("organisation", []).append(
                _("A CSO member belongs to an organisation: choose one.")
            )
        if delegation_slug:
            problems.setdefault("delegation", []).append(
                _("A CSO member does not belong to a delegation: leave this empty.")
            )
    elif role_value == Role.MODERATOR:
        if delegation is None and "delegation" not in problems:
            problems.setdefault("delegation", []).append(
                _("A delegation moderator works for a delegation: choose one.")
            )
        if organisation_id:
            problems.setdefault("organisation", []).append(
                _("EU staff do not belong to an organisation: leave this empty.")
            )
    elif role_value is not None:
        if organisation_id:
            problems.setdefault("organisation", []).append(
                _("EU staff do not belong to an organisation: leave this empty.")
            )
        if delegation_slug:
            problems.setdefault("delegation", []).append(
                _("Only delegation moderators belong to a delegation: leave this empty.")
            )
    if password is not None:
        for problem in password_problems(password, email):
            problems.setdefault("password", []).append(_(problem))
    if problems:
        raise AdminError(problems)
    assert role_value is not None
    try:
        user = create_user(
            email,
            role_value.value,
            password,
            organisation=organisation,
            delegation=delegation,
            full_name=(full_name or "").strip(),
        )
    except AccountError as exc:  # a rule of the account service not checked above
        raise _refuse("email", str(exc)) from exc
    user.is_org_admin = bool(is_org_admin and role_value == Role.CSO)
    record(
        "user_created",
        actor,
        user,
        role=user.role,
        organisation_id=str(user.organisation_id) if user.organisation_id else None,
        delegation=user.delegation_slug,
        with_password=password is not None,
    )
    db.session.flush()
    return user


def set_user_active(actor: User, user: User, active: bool) -> bool:
    """Deactivate (ending every session at once) or reactivate an account.

    Returns whether anything changed. An admin cannot deactivate themself:
    that would lock the last admin out.
    """
    if not active and user.id == actor.id:
        raise _refuse("active", _("You cannot deactivate your own account."))
    if bool(user.active) == active:
        return False
    user.active = active
    if not active:
        end_all_sessions(user)
    record("user_reactivated" if active else "user_deactivated", actor, user)
    db.session.flush()
    return True


# --- organisations ---------------------------------------------------------------------


def _org_error(exc: organisations.OrganisationError) -> AdminError:
    return _refuse(exc.field or "name", str(exc))


def create_organisation(
    actor: User, name: str, country_codes: list[str], contact_email: str, verified: bool
) -> Organisation:
    try:
        org = organisations.create_organisation(
            name, country_codes, contact_email, verified=verified
        )
    except organisations.OrganisationError as exc:
        raise _org_error(exc) from exc
    record("organisation_created", actor, org, countries=org.country_codes, verified=verified)
    db.session.flush()
    return org


def update_organisation(
    actor: User, org: Organisation, name: str, country_codes: list[str], contact_email: str
) -> list[str]:
    try:
        changed = organisations.update_organisation(org, name, country_codes, contact_email)
    except organisations.OrganisationError as exc:
        raise _org_error(exc) from exc
    if changed:
        record("organisation_updated", actor, org, changed=changed)
        db.session.flush()
    return changed


def set_organisation_verified(actor: User, org: Organisation, verified: bool) -> bool:
    """Verification is what lets an organisation's members submit inputs."""
    changed = organisations.set_verified(org, verified)
    if changed:
        record("organisation_verified" if verified else "organisation_unverified", actor, org)
        db.session.flush()
    return changed


# --- delegations and which countries they cover ------------------------------------------


def _delegation_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise _refuse("name", _("Give the delegation a name."))
    if len(name) > 120:
        raise _refuse("name", _("Use at most %(max)s characters.", max=120))
    return name


def _cover(actor: User, delegation: Delegation, codes: list[str]) -> list[str]:
    """Make ``delegation`` cover exactly ``codes``; returns the codes that moved.

    A country taken from the delegation is left with none: its inputs go to HQ.
    """
    wanted = {c.upper() for c in codes}
    countries = list(db.session.scalars(select(Country).order_by(Country.code)))
    unknown = wanted - {c.code for c in countries}
    if unknown:
        raise _refuse(
            "countries", _("Unknown country: %(codes)s.", codes=", ".join(sorted(unknown)))
        )
    moved: list[str] = []
    for country in countries:
        before = country.delegation_slug
        if country.code in wanted:
            after = delegation.slug
        elif before == delegation.slug:
            after = None
        else:
            continue
        if before != after:
            country.delegation_slug = after
            moved.append(country.code)
            record(
                "country_coverage_changed",
                actor,
                object_type="countries",
                object_id=country.code,
                before=before,
                after=after,
            )
    return moved


def create_delegation(actor: User, slug: str, name: str, country_codes: list[str]) -> Delegation:
    slug = _check_slug(slug)
    name = _delegation_name(name)
    if db.session.get(Delegation, slug) is not None:
        raise _refuse("slug", _("A delegation with this slug already exists."))
    delegation = Delegation(slug=slug, name=name)
    db.session.add(delegation)
    db.session.flush()
    record(
        "delegation_created",
        actor,
        object_type="delegations",
        object_id=slug,
        countries=sorted(c.upper() for c in country_codes),
    )
    _cover(actor, delegation, country_codes)
    db.session.flush()
    return delegation


def update_delegation(
    actor: User, delegation: Delegation, name: str, country_codes: list[str]
) -> list[str]:
    """Rename a delegation and set the countries it covers; returns what changed."""
    name = _delegation_name(name)
    changed: list[str] = []
    if delegation.name != name:
        record(
            "delegation_renamed",
            actor,
            object_type="delegations",
            object_id=delegation.slug,
            before=delegation.name,
            after=name,
        )
        delegation.name = name
        changed.append("name")
    if _cover(actor, delegation, country_codes):
        changed.append("countries")
    db.session.flush()
    db.session.expire(delegation, ["countries"])
    return changed


def set_coverage(actor: User, assignments: dict[str, str | None]) -> list[str]:
    """Set the delegation of each country (None: no delegation, inputs go to HQ).

    Inputs already routed keep their routing; new submissions follow the new
    coverage. Returns the codes that changed.
    """
    moved: list[str] = []
    for code, slug in assignments.items():
        country = db.session.get(Country, code)
        if country is None:
            raise _refuse(f"country__{code}", _("Unknown country."))
        slug = slug or None
        if slug is not None and db.session.get(Delegation, slug) is None:
            raise _refuse(f"country__{code}", _("Unknown delegation."))
        if country.delegation_slug != slug:
            record(
                "country_coverage_changed",
                actor,
                object_type="countries",
                object_id=code,
                before=country.delegation_slug,
                after=slug,
            )
            country.delegation_slug = slug
            moved.append(code)
    db.session.flush()
    return moved


# --- consultations ---------------------------------------------------------------------


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
        _check_slug(data.slug, max_length=80)
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
        "consultation_created",
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
        record("consultation_updated", actor, consultation, changed=changed)
    db.session.flush()
    return changed


# --- reference data --------------------------------------------------------------------


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
        if entry.name != name:
            record(
                "reference_renamed",
                actor,
                object_type=kind_name,
                object_id=slug,
                before=entry.name,
                after=name,
            )
            entry.name = name
            renamed.append(slug)
    db.session.flush()
    return renamed


def add_reference(actor: User, kind_name: str, kind: ReferenceKind, slug: str, name: str) -> Any:
    problems: dict[str, list[str]] = {}
    try:
        slug = _check_slug(slug)
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
    record("reference_added", actor, object_type=kind_name, object_id=slug, name=name)
    db.session.flush()
    return entry


# --- the audit log ---------------------------------------------------------------------


@dataclass
class AuditFilters:
    action: str = ""
    actor_email: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filters as recorded in the audit event of viewing the log."""
        return {
            key: str(value)
            for key, value in (
                ("action", self.action),
                ("actor_email", self.actor_email),
                ("object_id", self.object_id),
                ("since", self.since),
                ("until", self.until),
            )
            if value
        }


def audit_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def audit_page(
    actor: User, filters: AuditFilters, before: int | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Audit events matching ``filters``, newest first, ``limit`` at a time.

    Paged by keyset on the event id (ids grow with time), so a deep page costs
    what the first one does. Looking at the log is itself recorded.
    """
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.actor_email:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.email.contains(normalise_email(filters.actor_email), autoescape=True)
        )
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.since:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min)
        stmt = stmt.where(AuditEvent.created_at < end)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    rows = list(db.session.scalars(stmt.limit(limit + 1)))
    next_cursor = str(rows[limit - 1].id) if len(rows) > limit else None
    record("audit_log_viewed", actor, object_type="audit_events", filters=filters.as_detail())
    db.session.flush()
    return Page(rows[:limit], next_cursor)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={_shown(v)}"
            for k, v in sorted(value.items())
            if k.lower() not in HIDDEN_DETAIL_KEYS and v is not None
        )
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return str(value)


def visible_detail(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's detail as (key, value) pairs, without anything address-like."""
    detail = event.detail or {}
    return [
        (key, _shown(value))
        for key, value in sorted(detail.items())
        if key.lower() not in HIDDEN_DETAIL_KEYS and value is not None
    ]
