"""Demo inputs: about fifty contributions across priorities, countries, types and themes.

``seed_demo_inputs()`` adds them (the tables are in ``demo_inputs_data``) to the
demo consultation (it runs ``seed_demo()`` first when the demo organisations are
missing). Each input carries the idempotency key ``demo-input-<key>``, so running
it twice adds nothing. Six more CSOs are registered so that some priority x
country cells reach the minimum group size of external digests.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.auth.models import User, user_by_email
from consult.auth.services import create_user
from consult.cli.demo_inputs_data import (
    AUTHORS,
    DEMO_INPUTS,
    EXTRA_ORGANISATIONS,
    FWD,
    HQ_DIRECT_KEYS,
    REVIEWED_TEXT,
    USED,
)
from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import Consultation, Input, Recommendation
from consult.inputs.states import RoutedTo, Status
from consult.organisations.models import Organisation
from consult.organisations.services import create_organisation
from consult.reference.models import Country, Theme
from consult.timeutil import utcnow

__all__ = ["DEMO_INPUTS", "seed_demo_inputs"]


def _organisation(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _ensure_extra_organisations() -> None:
    from consult.cli.demo import demo_password

    for name, countries, contact, email, full_name in EXTRA_ORGANISATIONS:
        org = _organisation(name) or create_organisation(name, countries, contact, verified=True)
        if user_by_email(email) is None:
            create_user(email, "cso", demo_password(), organisation=org, full_name=full_name)
    db.session.flush()


def _moderator_for(country: str) -> User | None:
    main = db.session.get(Country, country)
    if main is None or main.delegation_slug is None:
        return user_by_email("hq@consult.example.org")
    return db.session.scalar(
        select(User).where(User.role == "moderator", User.delegation_slug == main.delegation_slug)
    ) or user_by_email("hq@consult.example.org")


def seed_demo_inputs() -> int:
    """Add the demo inputs that are missing; return how many were added."""
    from consult.cli.demo import DEMO_CONSULTATION_SLUG, seed_demo

    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )
    if consultation is None or user_by_email(AUTHORS["tfcs"]) is None:
        seed_demo()
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
        )
    _ensure_extra_organisations()
    now = utcnow().replace(microsecond=0)
    added = 0
    for index, spec in enumerate(DEMO_INPUTS):
        (key, org_key, priority, countries, type_, level, attribution, status, themes,
         title, body, recommendations, summary, feedback) = spec  # fmt: skip
        idempotency_key = f"demo-input-{key}"
        if db.session.scalar(select(Input.id).where(Input.idempotency_key == idempotency_key)):
            continue
        author = user_by_email(AUTHORS[org_key])
        if author is None or author.organisation_id is None:
            continue
        submitted = now - timedelta(days=40 - index // 2, hours=index)
        item = Input(
            consultation_id=consultation.id,
            organisation_id=author.organisation_id,
            author_id=author.id,
            priority_slug=priority,
            type_slug=type_,
            level_slug=level,
            title=title,
            body=body,
            attribution=str(attribution),
            status=str(status),
            language="en",
            idempotency_key=idempotency_key,
            created_at=submitted - timedelta(hours=2),
        )
        item.set_countries(countries)
        item.themes = [t for t in (db.session.get(Theme, s) for s in themes) if t is not None]
        for pos, (addressee, text) in enumerate(recommendations):
            item.recommendations.append(
                Recommendation(position=pos, addressee_slug=addressee, text=text)
            )
        events: list[ReviewEvent] = []
        if status != Status.DRAFT:
            main = db.session.get(Country, countries[0])
            item.is_hq_direct = key in HQ_DIRECT_KEYS
            if item.is_hq_direct or main is None or main.delegation_slug is None:
                item.routed_to = RoutedTo.HQ
            else:
                item.routed_to = RoutedTo.DELEGATION
                item.delegation_slug = main.delegation_slug
            item.submitted_at = submitted
            item.revision = 1
            events.append(
                ReviewEvent(
                    kind=EventKind.SUBMITTED,
                    actor_id=author.id,
                    is_visible_to_cso=True,
                    created_at=submitted,
                )
            )
        reviewer = _moderator_for(countries[0])
        decided = submitted + timedelta(days=2)
        if status in (FWD, USED):
            item.moderator_summary = summary
            if key in REVIEWED_TEXT:
                item.reviewed_body = REVIEWED_TEXT[key]
                item.reviewed_title = title
            item.forwarded_at = decided
            item.decided_at = decided
            events.append(
                ReviewEvent(
                    kind=EventKind.FORWARDED,
                    actor_id=reviewer.id if reviewer else None,
                    is_visible_to_cso=True,
                    created_at=decided,
                )
            )
        if status == USED:
            item.used_at = decided + timedelta(days=5)
            item.hq_feedback = feedback
            hq = user_by_email("hq@consult.example.org")
            events.append(
                ReviewEvent(
                    kind=EventKind.USED,
                    actor_id=hq.id if hq else None,
                    message=feedback,
                    is_visible_to_cso=True,
                    created_at=item.used_at,
                )
            )
        if status in (Status.RETURNED, Status.DECLINED):
            item.decided_at = decided
            kind = EventKind.RETURNED if status == Status.RETURNED else EventKind.DECLINED
            message = (
                "Which municipalities would take part, and who would lead the pilot?"
                if status == Status.RETURNED
                else "The input does not address a priority of the consultation."
            )
            events.append(
                ReviewEvent(
                    kind=kind,
                    actor_id=reviewer.id if reviewer else None,
                    message=message,
                    is_visible_to_cso=True,
                    created_at=decided,
                )
            )
        item.events = events
        db.session.add(item)
        added += 1
    db.session.flush()
    _demo_question()
    return added


def _demo_question() -> None:
    """A question in one demo thread, asked without returning the input (once)."""
    from consult.conversations.services import post_message, thread_of

    item = db.session.scalar(select(Input).where(Input.idempotency_key == DEMO_THREAD_INPUT))
    moderator = user_by_email("moderator.tn@consult.example.org")
    if item is None or moderator is None or thread_of(item):
        return
    post_message(moderator, item, DEMO_QUESTION, question=True)
    db.session.flush()


#: The demo input whose thread holds a question for its CSO (Tunisia, still submitted).
DEMO_THREAD_INPUT = "demo-input-pending-tn-1"
DEMO_QUESTION = "Which towns of the mining basin are concerned, and since when?"
