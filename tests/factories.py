"""Plain functions that make test data (committed, so every request sees it)."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from consult.auth.models import User
from consult.auth.passwords import hash_password
from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import Consultation, GuidingQuestion, Input, Recommendation
from consult.inputs.states import Attribution, RoutedTo, Status
from consult.organisations.models import Organisation
from consult.reference.models import Country, Delegation
from consult.timeutil import utcnow

PASSWORD = "a-long-test-password-42"
#: The TOTP secret every staff user made here has (tests compute codes from it).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@cache
def _password_hash() -> str:
    # Hashing with argon2 is deliberately slow: hash the shared password once.
    return hash_password(PASSWORD)


def make_organisation(
    name: str, countries: list[str], *, verified: bool = True, email: str | None = None
) -> Organisation:
    org = Organisation(
        name=name,
        contact_email=email or f"contact@{name.lower().replace(' ', '-')}.example.org",
        is_verified=verified,
        countries=[db.session.get(Country, c) for c in countries],
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    email: str,
    role: str,
    *,
    organisation: Organisation | None = None,
    delegation: str | None = None,
    full_name: str = "",
    active: bool = True,
    totp_secret: str | None = None,
) -> User:
    """A user with :data:`PASSWORD`; staff get :data:`STAFF_TOTP_SECRET` (two-factor)."""
    if totp_secret is None and role in ("moderator", "hq", "admin"):
        totp_secret = STAFF_TOTP_SECRET
    user = User(
        email=email,
        role=role,
        organisation_id=organisation.id if organisation else None,
        delegation_slug=delegation,
        full_name=full_name,
        password_hash=_password_hash(),
        active=active,
        session_generation=0,
        totp_secret=totp_secret or None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_consultation(
    slug: str = "enp-security-test",
    *,
    countries: list[str] | None = None,
    open_: bool = True,
    title: str = "ENP security consultation (test)",
) -> Consultation:
    now = utcnow()
    if countries is None:
        countries = [c.code for c in db.session.scalars(select(Country))]
    consultation = Consultation(
        slug=slug,
        title=title,
        description="A consultation for tests.",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=30) if open_ else now - timedelta(days=1),
        countries=[db.session.get(Country, c) for c in countries],
        questions=[
            GuidingQuestion(priority_slug="ssr", text="What works in SSR?", position=0),
            GuidingQuestion(priority_slug="crisis", text="What early warning signs?", position=1),
        ],
    )
    db.session.add(consultation)
    db.session.commit()
    return consultation


def make_input(
    consultation: Consultation,
    author: User,
    *,
    countries: list[str] | None = None,
    status: str = Status.SUBMITTED,
    priority: str = "ssr",
    type_: str = "context-analysis",
    level: str = "national",
    title: str = "Community policing in the south",
    body: str = "Local police and communities rarely meet; joint forums help.",
    attribution: str = Attribution.NON_ATTRIBUTABLE,
    hq_direct: bool = False,
    themes: tuple[str, ...] = (),
    recommendations: tuple[tuple[str, str], ...] = (("eu", "Fund joint community forums."),),
    **extra: Any,
) -> Input:
    """An input as it would be after submission (routed like the service routes)."""
    countries = countries or (author.organisation.country_codes if author.organisation else ["TN"])
    item = Input(
        consultation_id=consultation.id,
        organisation_id=author.organisation_id,
        author_id=author.id,
        priority_slug=priority,
        type_slug=type_,
        level_slug=level,
        title=title,
        body=body,
        attribution=attribution,
        is_hq_direct=hq_direct,
        status=status,
        language="en",
        **extra,
    )
    item.set_countries(countries)
    from consult.reference.models import Theme

    item.themes = [db.session.get(Theme, t) for t in themes]
    for pos, (addressee, text) in enumerate(recommendations):
        item.recommendations.append(
            Recommendation(position=pos, addressee_slug=addressee, text=text)
        )
    if status != Status.DRAFT:
        main = db.session.get(Country, countries[0])
        if hq_direct or main.delegation_slug is None:
            item.routed_to = RoutedTo.HQ
        else:
            item.routed_to = RoutedTo.DELEGATION
            item.delegation_slug = main.delegation_slug
        item.submitted_at = extra.get("submitted_at") or utcnow()
        item.revision = 1
        if status in (Status.FORWARDED, Status.USED):
            item.forwarded_at = extra.get("forwarded_at") or utcnow()
    db.session.add(item)
    db.session.flush()
    if status != Status.DRAFT:
        db.session.add(
            ReviewEvent(
                input_id=item.id, actor_id=author.id, kind="submitted", is_visible_to_cso=True
            )
        )
    db.session.commit()
    return item


def login(client: FlaskClient, user: User) -> FlaskClient:
    """Put ``user`` in the client's session, as a successful login (both factors) would.

    Staff made without a second factor get :data:`STAFF_TOTP_SECRET`, as if
    they had enrolled: otherwise every page would send them to enrolment.
    """
    from consult.auth.roles import EU_STAFF
    from consult.auth.session import fresh_session_values

    if user.role in EU_STAFF and not user.has_totp:
        user.totp_secret = STAFF_TOTP_SECRET  # stored encrypted
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session.update(fresh_session_values())
    return client


def totp_code(user: User, *, later: int = 0) -> str:
    """The current TOTP code of ``user`` (``later`` steps ahead: a code not used yet)."""
    import pyotp

    from consult.auth.totp import INTERVAL, current_step

    return pyotp.TOTP(user.totp_secret, interval=INTERVAL).generate_otp(current_step() + later)


def delegation(slug: str) -> Delegation:
    return db.session.get(Delegation, slug)


def production_settings(**overrides: Any) -> dict[str, Any]:
    """Complete production settings for an app built in a test.

    Production needs Redis for sessions, rate limits and the job queue: the
    local one (``TEST_REDIS_URL``, which make and CI set when it answers), with
    a queue of its own name that no worker works.
    """
    import os
    import secrets

    from cryptography.fernet import Fernet

    redis_url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    return {
        "ENV_NAME": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DIGEST_REFERENCE_KEY": secrets.token_hex(32),
        "SESSION_REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "JOBS_REDIS_URL": redis_url,
        "JOBS_QUEUE": f"consult-production-test-{secrets.token_hex(4)}",
        "STORAGE_BACKEND": "local",
        **overrides,
    }


def add_event(item, kind, message=None, *, visible=True, actor=None):  # noqa: ANN001, ANN201
    """Record a review event on ``item`` (as a moderator's action would)."""
    db.session.add(
        ReviewEvent(
            input_id=item.id,
            actor_id=actor.id if actor else None,
            kind=kind,
            message=message,
            is_visible_to_cso=visible,
        )
    )
    db.session.commit()
