"""``flask seed-demo``: reference data, demo organisations, accounts and a consultation.

Running it twice changes nothing: every object is looked up by its natural
key first and only created when missing.
"""

from __future__ import annotations

import os
from datetime import timedelta

import click
from flask_babel import gettext as _
from sqlalchemy import select

from consult.auth.models import User, user_by_email
from consult.auth.roles import EU_STAFF
from consult.auth.services import create_user
from consult.extensions import db
from consult.inputs.models import Consultation, GuidingQuestion
from consult.organisations.models import Organisation
from consult.organisations.services import create_organisation
from consult.reference.models import Country, Delegation
from consult.reference.services import load_reference_data
from consult.timeutil import utcnow

#: Used for every demo account unless CONSULT_DEMO_PASSWORD says otherwise.
DEFAULT_DEMO_PASSWORD = "consult-demo-2026"  # noqa: S105 - documented demo password
#: The two-factor (TOTP) secret of every demo staff account: documented, demo only.
DEMO_TOTP_SECRET = "CONSULTDEMOTOTPSECRETFORSTAFF234"  # noqa: S105 - documented demo secret

DEMO_ORGANISATIONS = [
    # name, countries, contact email, verified
    ("Tunisian Forum for Community Safety", ["TN"], "contact@tfcs.example.org", True),
    ("Kyiv Civic Oversight Network", ["UA", "MD"], "info@kcon.example.org", True),
    ("Levant Peacebuilding Initiative", ["LB", "SY", "JO"], "office@lpi.example.org", True),
    ("Caucasus Youth Dialogue", ["GE", "AM"], "hello@cyd.example.org", False),
]

DEMO_USERS = [
    # email, role, organisation or delegation slug, full name
    ("admin@consult.example.org", "admin", None, "Platform Administrator"),
    ("hq@consult.example.org", "hq", None, "HQ Analyst"),
    ("moderator.tn@consult.example.org", "moderator", "eud-tn", "Moderator, EUD Tunisia"),
    ("moderator.ua@consult.example.org", "moderator", "eud-ua", "Moderator, EUD Ukraine"),
    ("moderator.lb@consult.example.org", "moderator", "eud-lb", "Moderator, EUD Lebanon"),
    ("cso.tn@consult.example.org", "cso", "Tunisian Forum for Community Safety", "Amira B."),
    ("cso.ua@consult.example.org", "cso", "Kyiv Civic Oversight Network", "Oksana K."),
    ("cso.lb@consult.example.org", "cso", "Levant Peacebuilding Initiative", "Rami H."),
    ("cso.ge@consult.example.org", "cso", "Caucasus Youth Dialogue", "Nino T."),
]

#: Demo members who administer their organisation's data ("Our data": export, erasure).
DEMO_ORG_ADMINS = frozenset({"cso.tn@consult.example.org"})

DEMO_CONSULTATION_SLUG = "enp-security-2026"

GUIDING_QUESTIONS = {
    "ssr": [
        "How could the EU support security sector reform that is accountable to communities, "
        "including community security approaches?",
        "Which oversight actors (parliaments, CSOs, media) need support, and how?",
    ],
    "terrorism": [
        "What drives radicalisation in your context, and which prevention approaches work "
        "without shrinking civic space?",
    ],
    "organised-crime": [
        "How does organised crime affect communities you work with, and how could the EU "
        "address its links with corruption and conflict?",
    ],
    "cybercrime": [
        "How do cybercrime laws and surveillance affect civil society, and what safeguards "
        "are needed?",
    ],
    "cbrn": [
        "Which CBRN risks concern communities in your country, and who should be involved "
        "in mitigating them?",
    ],
    "csdp": [
        "How could CSDP missions and partner cooperation better contribute to conflict "
        "prevention and human security?",
    ],
    "crisis": [
        "Which early warning signs do you see, and how should the EU respond to them?",
        "What would conflict-sensitive crisis response look like in your context?",
    ],
}


def demo_password() -> str:
    return os.environ.get("CONSULT_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def seed_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo data; return (email, role, where) per account."""
    load_reference_data()
    for name, countries, email, verified in DEMO_ORGANISATIONS:
        if db.session.scalar(select(Organisation).where(Organisation.name == name)) is None:
            create_organisation(name, countries, email, verified=verified)
    password = demo_password()
    accounts = []
    for email, role, where, full_name in DEMO_USERS:
        user = user_by_email(email)
        if user is None:
            org = delegation = None
            if role == "cso":
                org = db.session.scalar(select(Organisation).where(Organisation.name == where))
            elif role == "moderator":
                delegation = db.session.get(Delegation, where)
            user = create_user(
                email,
                role,
                password,
                organisation=org,
                delegation=delegation,
                full_name=full_name,
            )
        if user.role in EU_STAFF and not user.has_totp:
            user.totp_secret = DEMO_TOTP_SECRET  # stored encrypted
        if user.email in DEMO_ORG_ADMINS:
            user.is_org_admin = True
        accounts.append((user.email, user.role, _where(user)))
    _seed_consultation()
    db.session.flush()
    return accounts


def extra_accounts() -> list[tuple[str, str, str]]:
    """The members of the extra demo organisations that the demo inputs registered."""
    from consult.cli.demo_inputs_data import EXTRA_ORGANISATIONS

    accounts = []
    for _name, _countries, _contact, email, _full_name in EXTRA_ORGANISATIONS:
        user = user_by_email(email)
        if user is not None:
            accounts.append((user.email, user.role, _where(user)))
    return accounts


def _where(user: User) -> str:
    if user.organisation is not None:
        return user.organisation.name
    if user.delegation is not None:
        return user.delegation.name
    return ""


def _seed_consultation() -> Consultation:
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == DEMO_CONSULTATION_SLUG)
    )
    if consultation is not None:
        return consultation
    now = utcnow().replace(microsecond=0)
    consultation = Consultation(
        slug=DEMO_CONSULTATION_SLUG,
        title="Implementing the security dimension of the ENP: civil society perspectives",
        description=(
            "The EEAS and DG NEAR invite civil society organisations working in or on the "
            "European Neighbourhood to share context analysis, recommendations and good "
            "practice on the seven priorities of the ENP security dimension. Inputs are "
            "non-attributable by default (Chatham House Rule)."
        ),
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=90),
        countries=list(db.session.scalars(select(Country).order_by(Country.name))),
    )
    position = 0
    for priority, questions in GUIDING_QUESTIONS.items():
        for text in questions:
            consultation.questions.append(
                GuidingQuestion(priority_slug=priority, text=text, position=position)
            )
            position += 1
    db.session.add(consultation)
    return consultation


def publish_demo_release() -> str:
    """Release 1 of the demo consultation, so that external downloads work at once."""
    from consult.digest.releases.publishing import ReleaseError, create_release, releases_of

    if releases_of(DEMO_CONSULTATION_SLUG):
        return _("The demo consultation already has a release.")
    try:
        release = create_release(DEMO_CONSULTATION_SLUG, None)
    except ReleaseError as exc:
        db.session.rollback()
        return _("No demo release: %(why)s", why=exc)
    db.session.commit()
    return _(
        "Published release %(number)d of %(slug)s (%(first)s..%(last)s, %(count)d inputs).",
        number=release.number,
        slug=DEMO_CONSULTATION_SLUG,
        first=release.period_start,
        last=release.period_end,
        count=release.input_count,
    )


@click.command("seed-demo")
@click.option(
    "--without-inputs",
    is_flag=True,
    help="Only accounts and the consultation, no demo inputs.",
)
def seed_demo_command(without_inputs: bool) -> None:
    """Load reference data, demo organisations, accounts, a consultation and demo inputs."""
    from consult.cli.demo_inputs import seed_demo_inputs

    accounts = seed_demo()
    created = 0 if without_inputs else seed_demo_inputs()
    db.session.commit()
    accounts += extra_accounts()
    if created:
        click.echo(
            _(
                "Created %(count)d demo inputs (submitted, in review, forwarded, used).",
                count=created,
            )
        )
        click.echo(publish_demo_release())
    click.echo(_("Demo data is loaded. Accounts (password: CONSULT_DEMO_PASSWORD or the default):"))
    org_admin = " " + _("(organisation admin: Our data)")
    for email, role, where in accounts:
        admin = org_admin if email in DEMO_ORG_ADMINS else ""
        click.echo(f"  {role:<10} {email:<40} {where}{admin}")
    if "CONSULT_DEMO_PASSWORD" not in os.environ:
        click.echo(
            _("Password for every demo account: %(password)s", password=DEFAULT_DEMO_PASSWORD)
        )
    click.echo(
        _(
            "Staff accounts (admin, hq, moderator.*) ask for a two-factor code: add the secret "
            "%(secret)s to an authenticator app, or print the current code with",
            secret=DEMO_TOTP_SECRET,
        )
    )
    click.echo(f"  python -c \"import pyotp; print(pyotp.TOTP('{DEMO_TOTP_SECRET}').now())\"")


COMMANDS = [seed_demo_command]
