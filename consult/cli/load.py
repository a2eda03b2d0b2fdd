"""``flask generate-load``: fill the database with a large, realistic, skewed consultation.

The mix follows what large public consultations look like: a few priorities
and countries draw most inputs (Zipf-like weights), a burst of submissions in
the first days, most inputs forwarded to HQ, a share still waiting in the
delegations' and HQ's queues, and the review events each status implies.

Rows are written in bulk: PostgreSQL ``COPY`` when the database is
PostgreSQL, Core ``insert()`` with many parameter sets otherwise, in batches
of :data:`BATCH` inputs. Everything is seeded: the same ``--seed`` and size
give the same rows (ids included) on a fresh database.
"""

from __future__ import annotations

import contextlib
import random
import sys
import time
import uuid
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

import click
from flask_babel import gettext as _
from sqlalchemy import Table, insert, select

from consult.auth.models import User
from consult.digest import counters
from consult.extensions import db
from consult.inputs.events import EventKind, ReviewEvent
from consult.inputs.models import (
    Consultation,
    Input,
    InputCountry,
    Recommendation,
    consultation_countries,
    input_themes,
)
from consult.inputs.states import Attribution, RoutedTo, Status
from consult.organisations.models import Organisation, organisation_countries
from consult.reference import data as ref
from consult.reference.services import load_reference_data
from consult.timeutil import utcnow

#: Inputs written per round trip (with their countries, themes, recommendations, events).
BATCH = 5_000

#: The status mix: most inputs reached HQ, a realistic share waits in queues.
STATUS_WEIGHTS: dict[str, float] = {
    Status.FORWARDED: 0.58,
    Status.USED: 0.10,
    Status.SUBMITTED: 0.09,
    Status.IN_REVIEW: 0.05,
    Status.RETURNED: 0.04,
    Status.DECLINED: 0.07,
    Status.WITHDRAWN: 0.02,
    Status.DRAFT: 0.05,
}

#: How the CSO wants to be cited.
ATTRIBUTION_WEIGHTS = {
    Attribution.NON_ATTRIBUTABLE: 0.7,
    Attribution.ATTRIBUTABLE: 0.25,
    Attribution.EU_ONLY: 0.05,
}

LANGUAGE_WEIGHTS = {"en": 0.55, "fr": 0.15, "ar": 0.12, "uk": 0.08, "ru": 0.05, "ka": 0.05}

#: Share of inputs a CSO sends straight to HQ, bypassing its delegation.
HQ_DIRECT_SHARE = 0.04

VOCABULARY = (
    "community security police youth dialogue border livelihoods oversight parliament reform "
    "trust municipal women mediation prevention funding monitoring accountability courts "
    "detention displacement returnees militia checkpoints training curriculum radio "
    "disinformation cyber ransomware smuggling trafficking customs coastguard rehabilitation "
    "reintegration schools elections journalists lawyers ombudsman budget procurement "
    "ministry governors villages refugees camps water energy corridor harbour"
).split()

CONSULTATION_DAYS = 42

#: Distinct sentences the texts are made of.
SENTENCES = 4_096


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Weights for ``count`` ranked items: the first far busier than the last."""
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from ``rng`` (the same seed gives the same ids)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class LoadResult:
    """What one run wrote, per table."""

    consultation: str
    inputs: int = 0
    organisations: int = 0
    users: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + count


@dataclass
class _World:
    """The reference objects every generated input points at."""

    consultation_id: uuid.UUID
    opens_at: datetime
    now: datetime
    organisations: Weighted
    moderators: dict[str, uuid.UUID]
    hq_user: uuid.UUID
    priorities: Weighted
    countries: Weighted
    delegation_of: dict[str, str | None]
    types: list[str]
    themes: Weighted
    addressees: Weighted
    levels: list[str]
    sentences: list[str]
    statuses: Weighted = field(
        default_factory=lambda: Weighted(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))
    )
    languages: Weighted = field(
        default_factory=lambda: Weighted(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))
    )
    attributions: Weighted = field(
        default_factory=lambda: Weighted(
            [a.value for a in ATTRIBUTION_WEIGHTS], list(ATTRIBUTION_WEIGHTS.values())
        )
    )


class Weighted:
    """Items drawn with fixed weights: one bisect per draw (``random.choices`` recomputes)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def sentence_pool(rng: random.Random, size: int = SENTENCES) -> list[str]:
    """Sentences of 6 to 28 words; texts are drawn from them (words one by one is slow)."""
    return [
        " ".join(rng.choices(VOCABULARY, k=rng.randint(6, 28))).capitalize() + "."
        for _row in range(size)
    ]


def _text(rng: random.Random, pool: list[str], sentences: int) -> str:
    return " ".join(rng.choices(pool, k=sentences))


class BulkWriter:
    """Writes lists of row dicts: ``COPY`` on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.is_postgres = self.connection.dialect.name == "postgresql"

    def write(self, table: Table, rows: Sequence[dict[str, Any]]) -> int:
        if not rows:
            return 0
        if not self.is_postgres:
            self.connection.execute(insert(table), list(rows))
            return len(rows)
        columns = list(rows[0])
        quoted = ", ".join(f'"{c}"' for c in columns)
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor:
            # Table and column names come from the model, never from input.
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        return len(rows)


def _ensure_world(rng: random.Random, slug: str, organisations: int) -> tuple[_World, int, int]:
    """Reference data, the consultation, organisations and staff (reused when present)."""
    load_reference_data()
    now = utcnow()
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if consultation is None:
        opens_at = (now - timedelta(days=CONSULTATION_DAYS)).replace(microsecond=0)
        consultation = Consultation(
            slug=slug,
            title=f"Generated load ({slug})",
            description="Synthetic inputs written by flask generate-load.",
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=CONSULTATION_DAYS + 365),
        )
        db.session.add(consultation)
        db.session.flush()
        db.session.execute(
            insert(consultation_countries),
            [
                {"consultation_id": consultation.id, "country_code": code}
                for code, _n, _r in ref.COUNTRIES
            ],
        )

    countries = [code for code, _n, _r in ref.COUNTRIES]
    # A fixed, seeded shuffle decides which countries are the busy ones.
    busy = countries[:]
    rng.shuffle(busy)
    country_weights = zipf_weights(len(busy), 1.0)
    delegation_of = dict.fromkeys(countries)
    for slug_, _name, codes in ref.DELEGATIONS:
        for code in codes:
            delegation_of[code] = slug_

    existing_orgs = {
        o.name: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.name.like("Load organisation %"))
        )
    }
    existing_users = {
        u.email: u.id
        for u in db.session.scalars(select(User).where(User.email.like("%@load.example.org")))
    }
    org_rows, link_rows, user_rows = [], [], []
    orgs: list[tuple[uuid.UUID, uuid.UUID, list[str]]] = []
    for number in range(organisations):
        name = f"Load organisation {number:05d}"
        home = rng.choices(busy, weights=country_weights, k=rng.choice((1, 1, 1, 2, 3)))
        home = list(dict.fromkeys(home))
        email = f"cso{number:05d}@load.example.org"
        org = existing_orgs.get(name)
        org_id = org.id if org else seeded_uuid(rng)
        if org is None:
            org_rows.append(
                {
                    "id": org_id,
                    "name": name,
                    "contact_email": f"office{number:05d}@load.example.org",
                    "is_verified": True,
                    "created_at": now,
                }
            )
            link_rows += [{"organisation_id": org_id, "country_code": c} for c in home]
        else:
            home = org.country_codes or home
        user_id = existing_users.get(email)
        if user_id is None:
            user_id = seeded_uuid(rng)
            user_rows.append(_user_row(user_id, email, "cso", org_id=org_id, now=now))
        orgs.append((org_id, user_id, home))

    moderators: dict[str, uuid.UUID] = {}
    for slug_, _name, _codes in ref.DELEGATIONS:
        email = f"moderator.{slug_}@load.example.org"
        user_id = existing_users.get(email)
        if user_id is None:
            user_id = seeded_uuid(rng)
            user_rows.append(_user_row(user_id, email, "moderator", delegation=slug_, now=now))
        moderators[slug_] = user_id
    hq_user = existing_users.get("hq@load.example.org")
    if hq_user is None:
        hq_user = seeded_uuid(rng)
        user_rows.append(_user_row(hq_user, "hq@load.example.org", "hq", now=now))

    writer = BulkWriter()
    new_orgs = writer.write(Organisation.__table__, org_rows)
    writer.write(organisation_countries, link_rows)
    new_users = writer.write(User.__table__, user_rows)

    themes = [t for t, _n in ref.THEMES]
    world = _World(
        consultation_id=consultation.id,
        opens_at=consultation.opens_at,
        now=now,
        organisations=Weighted(orgs, zipf_weights(len(orgs), 0.8)),
        moderators=moderators,
        hq_user=hq_user,
        priorities=Weighted(
            [p for p, _n in ref.PRIORITIES], zipf_weights(len(ref.PRIORITIES), 1.2)
        ),
        countries=Weighted(busy, country_weights),
        delegation_of=delegation_of,
        types=[t for t, _n in ref.INPUT_TYPES],
        themes=Weighted(themes, zipf_weights(len(themes), 0.9)),
        addressees=Weighted(
            [a for a, _n in ref.ADDRESSEES], zipf_weights(len(ref.ADDRESSEES), 0.7)
        ),
        levels=[level for level, _n in ref.LEVELS],
        sentences=sentence_pool(rng),
    )
    return world, new_orgs, new_users


def _user_row(
    user_id: uuid.UUID,
    email: str,
    role: str,
    *,
    now: datetime,
    org_id: uuid.UUID | None = None,
    delegation: str | None = None,
) -> dict[str, Any]:
    # No password: these accounts cannot sign in until an admin invites them.
    return {
        "id": user_id,
        "email": email,
        "full_name": email.split("@")[0],
        "password_hash": None,
        "role": role,
        "organisation_id": org_id,
        "delegation_slug": delegation,
        "active": True,
        "is_org_admin": role == "cso",
        "session_generation": 0,
        "created_at": now,
    }


def _submitted_at(rng: random.Random, opens_at: datetime) -> datetime:
    """A moment in the consultation: a third of all inputs in the first three days."""
    if rng.random() < 0.33:
        offset = rng.uniform(0, 3 * 86400)
    else:
        offset = rng.uniform(3 * 86400, (CONSULTATION_DAYS - 1) * 86400)
    return (opens_at + timedelta(seconds=offset)).replace(microsecond=0)


def _by_now(rng: random.Random, after: datetime, wanted: datetime, now: datetime) -> datetime:
    """``wanted``, or a moment between ``after`` and now when ``wanted`` has not come yet.

    Reviews and uses follow a submission by hours or days; near the end of the
    generated period that would be in the future, and an input "forwarded"
    tomorrow would count as new in every queue today.
    """
    if wanted <= now:
        return wanted
    return (after + (now - after) * rng.random()).replace(microsecond=0)


def _one_input(rng: random.Random, world: _World) -> dict[str, list[dict[str, Any]]]:
    """The rows of one input: the input, its countries, themes, recommendations, events."""
    org_id, author_id, home = world.organisations.pick(rng)
    status = world.statuses.pick(rng)
    pool = world.sentences
    input_id = seeded_uuid(rng)
    # Most inputs are about the organisation's own country; some about busy others.
    main = rng.choice(home) if rng.random() < 0.8 else None
    if main is None:
        main = world.countries.pick(rng)
    codes = [main]
    if rng.random() < 0.25:
        other = world.countries.pick(rng)
        if other != main:
            codes.append(other)
    is_hq_direct = rng.random() < HQ_DIRECT_SHARE
    delegation = world.delegation_of[main]
    submitted = status != Status.DRAFT
    if is_hq_direct or delegation is None:
        routed_to, delegation = RoutedTo.HQ.value, None
    else:
        routed_to = RoutedTo.DELEGATION.value
    submitted_at = _submitted_at(rng, world.opens_at) if submitted else None
    created_at = (submitted_at or world.opens_at + timedelta(days=1)) - timedelta(
        minutes=rng.randint(5, 600)
    )
    reviewer = world.moderators.get(delegation or "", world.hq_user)
    decided_at = forwarded_at = used_at = claimed_at = None
    claimed_by = None
    events: list[dict[str, Any]] = []

    def event(kind: str, at: datetime, actor: uuid.UUID | None, message: str | None = None):
        events.append(
            {
                "input_id": input_id,
                "actor_id": actor,
                "kind": str(kind),
                "message": message,
                "is_visible_to_cso": message is not None,
                "data": None,
                "created_at": at,
            }
        )

    if submitted_at is not None:
        event(EventKind.SUBMITTED, submitted_at, author_id)
        now = world.now
        moment = _by_now(
            rng, submitted_at, submitted_at + timedelta(hours=rng.uniform(2, 24 * 10)), now
        )
        if status != Status.SUBMITTED and status != Status.WITHDRAWN:
            claimed_at = moment
            event(EventKind.CLAIMED, moment, reviewer)
            if status == Status.IN_REVIEW:
                claimed_by = reviewer
        if status == Status.WITHDRAWN:
            event(EventKind.WITHDRAWN, moment, author_id)
        elif status == Status.RETURNED:
            decided_at = _by_now(rng, moment, moment + timedelta(hours=1), now)
            event(EventKind.RETURNED, decided_at, reviewer, rng.choice(pool))
        elif status == Status.DECLINED:
            decided_at = _by_now(rng, moment, moment + timedelta(hours=1), now)
            event(EventKind.DECLINED, decided_at, reviewer, rng.choice(pool))
        elif status in (Status.FORWARDED, Status.USED):
            decided_at = forwarded_at = _by_now(rng, moment, moment + timedelta(hours=1), now)
            event(EventKind.FORWARDED, forwarded_at, reviewer)
            if status == Status.USED:
                wanted = forwarded_at + timedelta(days=rng.uniform(1, 20))
                used_at = _by_now(rng, forwarded_at, wanted, now)
                event(EventKind.USED, used_at, world.hq_user, rng.choice(pool))
    reviewed = status in (Status.FORWARDED, Status.USED)
    row = {
        "id": input_id,
        "consultation_id": world.consultation_id,
        "organisation_id": org_id,
        "author_id": author_id,
        "priority_slug": world.priorities.pick(rng),
        "level_slug": rng.choice(world.levels),
        "type_slug": rng.choice(world.types),
        "title": rng.choice(pool)[:120].rstrip(" ."),
        "body": _text(rng, pool, rng.randint(3, 12)),
        "moderator_summary": _text(rng, pool, 2) if reviewed else None,
        "language": world.languages.pick(rng),
        "attribution": world.attributions.pick(rng),
        "is_hq_direct": is_hq_direct,
        "status": str(status),
        "routed_to": routed_to if submitted else None,
        "delegation_slug": delegation if submitted else None,
        "claimed_by_id": claimed_by,
        "claimed_at": claimed_at if claimed_by else None,
        "version": 1 + len(events),
        "revision": 1 if submitted else 0,
        "created_at": created_at,
        "updated_at": max([created_at, *(e["created_at"] for e in events)]),
        "submitted_at": submitted_at,
        "forwarded_at": forwarded_at,
        "decided_at": decided_at,
        "used_at": used_at,
    }
    themes = [world.themes.pick(rng) for _pick in range(rng.randint(1, 3))]
    return {
        "inputs": [row],
        "input_countries": [
            {"input_id": input_id, "country_code": code, "position": pos}
            for pos, code in enumerate(codes)
        ],
        "input_themes": [{"input_id": input_id, "theme_slug": t} for t in dict.fromkeys(themes)],
        "recommendations": [
            {
                "input_id": input_id,
                "position": pos,
                "addressee_slug": world.addressees.pick(rng),
                "text": _text(rng, pool, rng.randint(1, 3)),
            }
            for pos in range(rng.randint(0, 3))
        ],
        "review_events": events,
    }


TABLES: dict[str, Table] = {
    "inputs": Input.__table__,
    "input_countries": InputCountry.__table__,
    "input_themes": input_themes,
    "recommendations": Recommendation.__table__,
    "review_events": ReviewEvent.__table__,
}


def _analyse(connection: Any) -> None:
    """Fresh planner statistics of the tables being filled (each time they double).

    Without them the planner takes a growing table for an empty one and the
    digest counters' bulk statements scan every input for each batch.
    """
    for table in (*TABLES, "digest_counts"):
        connection.exec_driver_sql(f"ANALYZE {table}")


def generate_load(
    inputs: int,
    *,
    seed: int = 2026,
    consultation: str = "generated-load",
    organisations: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Write ``inputs`` synthetic inputs into ``consultation`` and commit after each batch."""
    rng = random.Random(seed)
    organisations = organisations or max(20, min(20_000, inputs // 100))
    world, new_orgs, new_users = _ensure_world(rng, consultation, organisations)
    db.session.commit()
    result = LoadResult(consultation, organisations=new_orgs, users=new_users)
    written = 0
    analysed_at = 0
    while written < inputs:
        size = min(BATCH, inputs - written)
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for _row in range(size):
            for name, rows in _one_input(rng, world).items():
                batch[name].extend(rows)
        writer = BulkWriter()
        # PostgreSQL: the digest's counters take the batch in bulk, not row by row.
        deferred = counters.defer(writer.connection)
        for name, table in TABLES.items():
            result.add(name, writer.write(table, batch[name]))
        if deferred:
            if written + size > 2 * analysed_at:
                _analyse(writer.connection)
                analysed_at = written + size
            counters.add_inputs(writer.connection, [row["id"] for row in batch["inputs"]])
        db.session.commit()
        written += size
        result.inputs = written
        if progress:
            progress(size)
    return result


@click.command("generate-load")
@click.option("--inputs", "count", type=click.IntRange(min=1), required=True, help="How many.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Same seed, same rows.")
@click.option(
    "--consultation",
    default="generated-load",
    show_default=True,
    help="Slug of the consultation to fill (created when missing).",
)
@click.option(
    "--organisations",
    type=click.IntRange(min=1),
    default=None,
    help="How many CSOs send them (default: one per 100 inputs, 20 to 20,000).",
)
def generate_load_command(
    count: int, seed: int, consultation: str, organisations: int | None
) -> None:
    """Fill the database with COUNT realistic, skewed synthetic inputs (bulk inserts)."""
    started = time.monotonic()
    done = 0

    def report(size: int) -> None:
        # Logs and pipes get one line per batch instead of a redrawn bar.
        nonlocal done
        done += size
        rate = done / max(time.monotonic() - started, 1e-6)
        click.echo(
            "  " + _("%(done)d/%(count)d inputs (%(rate)d/s)", done=done, count=count, rate=rate)
        )

    interactive = sys.stdout.isatty()
    bar = click.progressbar(length=count, label=_("Writing inputs"), show_pos=True)
    with bar if interactive else contextlib.nullcontext():
        result = generate_load(
            count,
            seed=seed,
            consultation=consultation,
            organisations=organisations,
            progress=bar.update if interactive else report,
        )
    click.echo(
        _(
            "Wrote %(inputs)d inputs to consultation %(slug)s (%(organisations)d new "
            "organisations, %(users)d new accounts) in %(seconds)s s.",
            inputs=result.inputs,
            slug=repr(result.consultation),
            organisations=result.organisations,
            users=result.users,
            seconds=f"{time.monotonic() - started:.1f}",
        )
    )
    for table, rows in result.rows.items():
        click.echo("  " + _("%(table)s: %(rows)d rows", table=table, rows=rows))


COMMANDS = [generate_load_command]
