"""Demo inputs: about forty contributions across priorities, countries, types and themes.

``seed_demo_inputs()`` adds them to the demo consultation (it runs
``seed_demo()`` first when the demo organisations are missing). Each input
carries the idempotency key ``demo-input-<key>``, so running it twice adds
nothing. Three more CSOs are registered so that some priority x country
cells reach the minimum group size of external digests.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult.auth.models import User, user_by_email
from consult.auth.services import create_user
from consult.extensions import db
from consult.organisations.models import Organisation
from consult.organisations.services import create_organisation
from consult.reference.models import Country, Theme
from consult.review.models import EventKind, ReviewEvent
from consult.submissions.models import Consultation, Input, Recommendation
from consult.submissions.states import Attribution, RoutedTo, Status
from consult.timeutil import utcnow

NA = Attribution.NON_ATTRIBUTABLE
AT = Attribution.ATTRIBUTABLE
EU = Attribution.EU_ONLY
FWD = Status.FORWARDED
USED = Status.USED

#: Demo inputs whose submitter asked for HQ-direct routing.
HQ_DIRECT_KEYS = frozenset({"pending-ua-hq"})

#: More CSOs (name, countries, contact, member email, member name).
EXTRA_ORGANISATIONS = [
    (
        "Mediterranean Security Observatory",
        ["TN", "LB", "JO", "MA"],
        "contact@mso.example.org",
        "cso.mso@consult.example.org",
        "Karim S.",
    ),
    (
        "Arab Women Mediators Network",
        ["TN", "LB", "JO", "EG"],
        "network@awmn.example.org",
        "cso.awmn@consult.example.org",
        "Hala M.",
    ),
    (
        "Black Sea Media Watch",
        ["UA", "GE", "MD"],
        "desk@bsmw.example.org",
        "cso.bsmw@consult.example.org",
        "Iryna P.",
    ),
    (
        "Dniester Security Dialogue",
        ["MD", "UA"],
        "office@dsd.example.org",
        "cso.dsd@consult.example.org",
        "Ion R.",
    ),
    (
        "Eastern Partnership Gender Watch",
        ["UA", "GE", "AM", "MD"],
        "info@epgw.example.org",
        "cso.epgw@consult.example.org",
        "Nino K.",
    ),
    (
        "Maghreb Youth and Security Network",
        ["MA", "TN", "DZ"],
        "contact@mysn.example.org",
        "cso.mysn@consult.example.org",
        "Youssef A.",
    ),
]

# Who writes for each organisation (short key -> member email).
AUTHORS = {
    "tfcs": "cso.tn@consult.example.org",
    "kcon": "cso.ua@consult.example.org",
    "lpi": "cso.lb@consult.example.org",
    "cyd": "cso.ge@consult.example.org",
    "mso": "cso.mso@consult.example.org",
    "awmn": "cso.awmn@consult.example.org",
    "bsmw": "cso.bsmw@consult.example.org",
    "dsd": "cso.dsd@consult.example.org",
    "epgw": "cso.epgw@consult.example.org",
    "mysn": "cso.mysn@consult.example.org",
}

# key, org, priority, countries, type, level, attribution, status, themes, title, body,
# recommendations [(addressee, text)], moderator summary, HQ feedback.
DEMO_INPUTS: list[tuple] = [
    (
        "ssr-tn-1",
        "tfcs",
        "ssr",
        ["TN"],
        "context-analysis",
        "local",
        NA,
        FWD,
        ["community-security", "youth"],
        "Community perceptions of the police in Kasserine",
        "Our survey of 800 young people in Kasserine found that most avoid the police "
        "station even when they are victims. Trust grows where municipal safety committees "
        "meet monthly with the police and publish what they agreed.",
        [
            ("eud", "Support municipal safety committees that include young people."),
            ("partner-government", "Publish the agreements of local safety committees."),
        ],
        "Survey: low trust in police among youth; monthly safety committees help.",
        None,
    ),
    (
        "ssr-tn-2",
        "mso",
        "ssr",
        ["TN", "LY"],
        "risk-alert",
        "cross-border",
        NA,
        FWD,
        ["livelihoods", "conflict-sensitivity"],
        "Border security measures and livelihoods",
        "Communities along the Tunisia-Libya border depend on informal trade. New border "
        "security measures have cut incomes and increased petty corruption at crossings.",
        [
            ("eu", "Assess the livelihood impact of border programmes before funding them."),
            ("csos", "Create border security dialogue forums with traders and customs."),
        ],
        None,
        None,
    ),
    (
        "ssr-tn-3",
        "awmn",
        "ssr",
        ["TN"],
        "good-practice",
        "local",
        NA,
        USED,
        ["gender", "community-security"],
        "Women's safety audits in Sidi Bouzid",
        "Women walked their neighbourhoods with municipal staff and police, mapped unsafe "
        "places and agreed on lighting and patrol changes. Reported harassment fell within "
        "a year.",
        [("eud", "Fund safety audits led by women's groups in other governorates.")],
        "Safety audits led by women changed lighting and patrols.",
        "Cited in the SSR programming note for Tunisia (2026 annual action plan).",
    ),
    (
        "ssr-tn-4",
        "tfcs",
        "ssr",
        ["TN"],
        "recommendation",
        "national",
        AT,
        FWD,
        ["oversight", "rule-of-law"],
        "Parliamentary oversight of the interior ministry",
        "The security committee of parliament has no staff able to read budgets. Oversight "
        "needs expertise and access to classified annexes.",
        [
            ("member-states", "Second parliamentary staff experts to the security committee."),
            ("partner-government", "Give the committee access to the security budget annexes."),
        ],
        None,
        None,
    ),
    (
        "ssr-ua-1",
        "kcon",
        "ssr",
        ["UA"],
        "context-analysis",
        "national",
        NA,
        FWD,
        ["oversight", "civic-space"],
        "Civilian oversight of the security services",
        "Public councils attached to law enforcement agencies exist on paper, but members "
        "are appointed without open calls and rarely see documents.",
        [("eu", "Make support to the security sector conditional on open public councils.")],
        "Public oversight councils lack independence and access.",
        None,
    ),
    (
        "ssr-ua-2",
        "bsmw",
        "ssr",
        ["UA", "MD"],
        "lesson-learned",
        "regional",
        AT,
        FWD,
        ["media", "oversight"],
        "Investigative journalism as oversight",
        "Reporting on procurement in the security sector led to two audits. Journalists "
        "need legal protection and secure communication to continue.",
        [("eud", "Fund legal aid for journalists covering the security sector.")],
        None,
        None,
    ),
    (
        "ssr-md-1",
        "kcon",
        "ssr",
        ["MD"],
        "recommendation",
        "national",
        AT,
        FWD,
        ["rule-of-law"],
        "Police reform benchmarks",
        "Benchmarks in the police reform strategy measure training hours, not public "
        "trust or complaints resolved.",
        [("eu", "Use public trust and complaint resolution as reform benchmarks.")],
        None,
        None,
    ),
    (
        "ssr-lb-1",
        "lpi",
        "ssr",
        ["LB"],
        "context-analysis",
        "local",
        NA,
        FWD,
        ["community-security", "conflict-sensitivity"],
        "Municipal police in host communities",
        "Municipal police in towns hosting refugees enforce curfews on Syrians. Tension "
        "rises when curfews follow an incident and no one explains them.",
        [("eud", "Train municipal police on non-discriminatory community policing.")],
        "Curfews on refugees raise tension; training needed.",
        None,
    ),
    (
        "ssr-lb-2",
        "mso",
        "ssr",
        ["LB"],
        "good-practice",
        "local",
        NA,
        FWD,
        ["community-security", "local-ownership"],
        "Joint committees in Tripoli",
        "Neighbourhood committees of residents from both sides of the former front line "
        "meet the army and municipal police every month. Call our coordinator on "
        "+961 1 234 567 for the minutes.",
        [("csos", "Share the committee model with other Lebanese cities.")],
        None,
        None,
    ),
    (
        "ssr-ge-1",
        "bsmw",
        "ssr",
        ["GE"],
        "context-analysis",
        "national",
        AT,
        FWD,
        ["media", "human-rights"],
        "Surveillance of journalists",
        "Leaked files show that journalists covering police violence were followed. The "
        "oversight body has not opened an inquiry.",
        [("eud", "Raise the surveillance files in the human rights dialogue.")],
        None,
        None,
    ),
    (
        "ter-tn-1",
        "tfcs",
        "terrorism",
        ["TN"],
        "context-analysis",
        "local",
        NA,
        FWD,
        ["youth", "livelihoods"],
        "Why young people join violent groups",
        "Interviews in three governorates show that ideology comes second. Young people "
        "speak of marginalisation, prison records for minor offences and no work.",
        [
            ("eu", "Fund prevention that addresses exclusion, not only ideology."),
            ("partner-government", "Review sentencing for minor drug offences."),
        ],
        "Drivers are exclusion and prison records, not ideology.",
        None,
    ),
    (
        "ter-tn-2",
        "awmn",
        "terrorism",
        ["TN", "LY"],
        "lesson-learned",
        "regional",
        NA,
        USED,
        ["gender", "youth"],
        "Mothers' circles in prevention work",
        "Circles of mothers helped families notice early signs and talk to their sons. "
        "Short project cycles ended the circles before trust was built.",
        [("eu", "Fund prevention work over at least four years.")],
        None,
        "Used in the evaluation of PVE funding in North Africa.",
    ),
    (
        "ter-tn-3",
        "mso",
        "terrorism",
        ["TN"],
        "risk-alert",
        "national",
        EU,
        FWD,
        ["civic-space", "human-rights"],
        "Counter-terrorism law used against activists",
        "Three activists were charged under the counter-terrorism law for posts criticising "
        "the police. Organisations now self-censor.",
        [("eu", "Raise the use of counter-terrorism law against activists in dialogue.")],
        "EU staff only: names of the cases withheld.",
        None,
    ),
    (
        "ter-jo-1",
        "lpi",
        "terrorism",
        ["JO"],
        "good-practice",
        "local",
        NA,
        FWD,
        ["youth", "local-ownership"],
        "Peace education in schools",
        "Integrating peace education into school clubs built resilience among pupils. "
        "Teachers asked for materials in Arabic and for continued training.",
        [("international-partners", "Coordinate peace education curricula with UNICEF.")],
        None,
        None,
    ),
    (
        "ter-lb-1",
        "awmn",
        "terrorism",
        ["LB"],
        "recommendation",
        "national",
        NA,
        FWD,
        ["funding"],
        "Banks refuse transfers to local CSOs",
        "Banks refuse to transfer grants to organisations working in areas labelled at "
        "risk of violent extremism, so local partners cannot be paid.",
        [
            ("eu", "Agree a banking channel for EU-funded grants to local CSOs."),
            ("member-states", "Clarify de-risking guidance for banks."),
        ],
        None,
        None,
    ),
    (
        "ter-ua-1",
        "kcon",
        "terrorism",
        ["UA"],
        "context-analysis",
        "national",
        NA,
        FWD,
        ["media"],
        "Disinformation and radicalisation online",
        "Coordinated channels push violent content to teenagers in frontline regions.",
        [("eud", "Support media literacy in frontline schools.")],
        None,
        None,
    ),
    (
        "oc-tn-1",
        "tfcs",
        "organised-crime",
        ["TN", "LY"],
        "context-analysis",
        "cross-border",
        NA,
        FWD,
        ["livelihoods", "conflict-sensitivity"],
        "Smuggling economies in the south",
        "Smuggling networks are the main employer in some border towns. Crackdowns without "
        "alternatives push young men towards armed groups.",
        [
            ("eu", "Pair border programmes with livelihood support."),
            ("csos", "Document the social role of smuggling economies."),
        ],
        None,
        None,
    ),
    (
        "oc-lb-1",
        "lpi",
        "organised-crime",
        ["LB", "SY"],
        "risk-alert",
        "cross-border",
        NA,
        FWD,
        ["human-rights"],
        "Trafficking along the northern border",
        "Smugglers charge refugees to cross back and forth; women report abuse at "
        "informal crossings.",
        [("international-partners", "Include informal crossings in UNHCR protection monitoring.")],
        None,
        None,
    ),
    (
        "oc-ua-1",
        "bsmw",
        "organised-crime",
        ["UA", "MD"],
        "lesson-learned",
        "regional",
        AT,
        FWD,
        ["media", "oversight"],
        "Cross-border investigations",
        "Joint investigations by journalists from both countries exposed cigarette smuggling "
        "and led to prosecutions.",
        [("eud", "Fund cross-border investigative teams.")],
        None,
        None,
    ),
    (
        "oc-md-1",
        "kcon",
        "organised-crime",
        ["MD"],
        "recommendation",
        "national",
        NA,
        FWD,
        ["rule-of-law"],
        "Asset recovery",
        "Assets seized from organised crime are rarely confiscated for good.",
        [("partner-government", "Create an independent asset recovery office.")],
        None,
        None,
    ),
    (
        "cy-ua-1",
        "kcon",
        "cybercrime",
        ["UA"],
        "risk-alert",
        "national",
        NA,
        FWD,
        ["civic-space", "human-rights"],
        "Cybercrime law and data retention",
        "The draft cybercrime law obliges providers to keep data for three years without "
        "judicial control.",
        [("eud", "Comment on the draft law against the Budapest Convention safeguards.")],
        "Draft law: data retention without judicial control.",
        None,
    ),
    (
        "cy-ua-2",
        "bsmw",
        "cybercrime",
        ["UA"],
        "good-practice",
        "national",
        AT,
        USED,
        ["media"],
        "Digital security clinics for newsrooms",
        "Monthly clinics helped local newsrooms secure accounts after phishing campaigns.",
        [("csos", "Extend digital security clinics to regional newsrooms.")],
        None,
        "Included in the cyber resilience action for the Eastern Partnership.",
    ),
    (
        "cy-ge-1",
        "bsmw",
        "cybercrime",
        ["GE"],
        "context-analysis",
        "national",
        AT,
        FWD,
        ["civic-space"],
        "Spyware targeting activists",
        "Forensic checks found spyware on phones of two activists.",
        [("eu", "Support forensic capacity of civil society.")],
        None,
        None,
    ),
    (
        "cy-tn-1",
        "mso",
        "cybercrime",
        ["TN"],
        "recommendation",
        "national",
        NA,
        FWD,
        ["human-rights"],
        "Decree on false information",
        "The decree on false information is used to prosecute critics online.",
        [("eud", "Monitor prosecutions under the decree on false information.")],
        None,
        None,
    ),
    (
        "cbrn-jo-1",
        "lpi",
        "cbrn",
        ["JO"],
        "risk-alert",
        "national",
        NA,
        FWD,
        ["community-security"],
        "Chemical storage near camps",
        "Industrial chemicals are stored close to informal settlements without emergency "
        "plans that residents know about.",
        [("partner-government", "Publish emergency plans for chemical sites.")],
        None,
        None,
    ),
    (
        "cbrn-ua-1",
        "kcon",
        "cbrn",
        ["UA"],
        "context-analysis",
        "regional",
        EU,
        FWD,
        ["community-security"],
        "Radiological risks near the front line",
        "Residents near the power plant have no reliable information on what to do.",
        [("international-partners", "Support IAEA public information in local languages.")],
        None,
        None,
    ),
    (
        "csdp-ge-1",
        "bsmw",
        "csdp",
        ["GE"],
        "recommendation",
        "local",
        AT,
        FWD,
        ["conflict-sensitivity", "local-ownership"],
        "Monitoring mission and local communities",
        "Villagers along the administrative boundary line rarely meet mission monitors.",
        [("eu", "Hold regular meetings between monitors and boundary villages.")],
        None,
        None,
    ),
    (
        "csdp-md-1",
        "kcon",
        "csdp",
        ["MD"],
        "lesson-learned",
        "national",
        NA,
        FWD,
        ["rule-of-law"],
        "Border assistance mission",
        "Training by the border mission worked where it was linked to procedures the "
        "service adopted.",
        [("eu", "Tie mission training to adopted procedures.")],
        None,
        None,
    ),
    (
        "csdp-ly-1",
        "mso",
        "csdp",
        ["LY"],
        "context-analysis",
        "national",
        NA,
        FWD,
        ["conflict-sensitivity"],
        "Maritime operation seen from the coast",
        "Fishing communities see the naval operation as aimed at migrants only.",
        [("eu", "Explain the mandate of the naval operation to coastal communities.")],
        None,
        None,
    ),
    (
        "crisis-sy-1",
        "lpi",
        "crisis",
        ["SY"],
        "risk-alert",
        "local",
        NA,
        FWD,
        ["human-rights", "youth"],
        "Early warning in the north-west",
        "Our monitors report mobilisation near two towns and families leaving.",
        [("eu", "Use CSO early warning reports in the EU conflict early warning system.")],
        "CSO monitors report mobilisation and displacement.",
        None,
    ),
    (
        "crisis-lb-1",
        "lpi",
        "crisis",
        ["LB"],
        "context-analysis",
        "national",
        NA,
        USED,
        ["conflict-sensitivity"],
        "Tension between host and refugee communities",
        "Competition for jobs and services drives tension; rumours spread on messaging "
        "groups after each incident.",
        [("eud", "Fund rumour tracking and local dialogue.")],
        None,
        "Discussed with the EUD in the 2026 crisis preparedness review.",
    ),
    (
        "crisis-lb-2",
        "awmn",
        "crisis",
        ["LB"],
        "good-practice",
        "local",
        NA,
        FWD,
        ["gender", "conflict-sensitivity"],
        "Women mediators in local disputes",
        "Trained women mediators resolved water disputes between neighbourhoods.",
        [("csos", "Build a roster of women mediators.")],
        None,
        None,
    ),
    (
        "crisis-lb-3",
        "mso",
        "crisis",
        ["LB"],
        "recommendation",
        "national",
        NA,
        FWD,
        ["funding", "monitoring"],
        "Flexible crisis funding",
        "Grants cannot be reallocated when a crisis hits.",
        [("eu", "Allow reallocation of up to a fifth of a grant in a crisis.")],
        None,
        None,
    ),
    (
        "crisis-ua-1",
        "kcon",
        "crisis",
        ["UA"],
        "lesson-learned",
        "national",
        NA,
        FWD,
        ["local-ownership", "funding"],
        "Local volunteer networks",
        "Volunteer networks delivered aid faster than international agencies in the first weeks.",
        [("international-partners", "Channel part of crisis funding through local networks.")],
        None,
        None,
    ),
    # Three more organisations, so that some Eastern cells (and one more Southern one)
    # reach k = 3 and show their counts in external digests.
    (
        "ssr-ua-epgw",
        "epgw",
        "ssr",
        ["UA"],
        "context-analysis",
        "local",
        NA,
        FWD,
        ["gender", "community-security"],
        "Women in community policing in Kharkiv oblast",
        "Women veterans joined community policing groups in three hromadas; residents "
        "report more trust where the groups include them, but training stops when "
        "project funding ends.",
        [("eud", "Fund community policing training beyond single project cycles.")],
        "Women veterans in community policing raise trust; training depends on projects.",
        None,
    ),
    (
        "ssr-md-dsd",
        "dsd",
        "ssr",
        ["MD"],
        "recommendation",
        "national",
        NA,
        FWD,
        ["oversight", "rule-of-law"],
        "Parliamentary oversight of the police reform",
        "The police reform strategy has no public progress report; the parliamentary "
        "committee has not heard the minister in a year.",
        [("partner-government", "Publish a yearly progress report on the police reform.")],
        None,
        None,
    ),
    (
        "cyber-ua-epgw",
        "epgw",
        "cybercrime",
        ["UA"],
        "risk-alert",
        "national",
        NA,
        FWD,
        ["gender", "media"],
        "Online harassment of women journalists",
        "Coordinated accounts target women journalists with doxxing; victims rarely report "
        "it because the cyber police answer slowly.",
        [("eu", "Support a fast reporting channel for doxxing of journalists.")],
        "Doxxing of women journalists; slow police response.",
        None,
    ),
    (
        "oc-md-dsd",
        "dsd",
        "organised-crime",
        ["MD"],
        "context-analysis",
        "cross-border",
        NA,
        FWD,
        ["rule-of-law"],
        "Smuggling routes across the Dniester",
        "Cigarette and fuel smuggling moved to smaller river crossings after checks were "
        "tightened at the main bridges.",
        [("eu", "Extend border assistance to the smaller river crossings.")],
        None,
        None,
    ),
    (
        "crisis-ua-dsd",
        "dsd",
        "crisis",
        ["UA", "MD"],
        "lesson-learned",
        "cross-border",
        NA,
        FWD,
        ["conflict-sensitivity", "local-ownership"],
        "Host communities and displaced families",
        "Joint committees of host communities and displaced families settled disputes over "
        "housing before they escalated; where none existed, tensions grew.",
        [("csos", "Set up joint committees early in every host community.")],
        "Joint host-displaced committees prevent disputes.",
        None,
    ),
    (
        "crisis-ua-epgw",
        "epgw",
        "crisis",
        ["UA"],
        "good-practice",
        "local",
        AT,
        FWD,
        ["gender", "local-ownership"],
        "Women-led evacuation planning",
        "In two frontline towns, women's groups mapped people with reduced mobility and "
        "planned their evacuation with the local administration.",
        [("eud", "Include women's groups in local evacuation planning.")],
        "Women's groups mapped people with reduced mobility for evacuations.",
        None,
    ),
    (
        "terror-tn-mysn",
        "mysn",
        "terrorism",
        ["TN", "MA"],
        "lesson-learned",
        "regional",
        NA,
        FWD,
        ["youth"],
        "Sport and mentoring against recruitment",
        "Youth clubs with trained mentors kept young people away from recruiters in two "
        "neighbourhoods; clubs without mentors did not.",
        [("eu", "Fund mentors, not only sports equipment, in prevention projects.")],
        "Mentoring, not sport alone, reduces recruitment.",
        None,
    ),
    # Still with the delegations, or back with the CSO.
    (
        "pending-tn-1",
        "tfcs",
        "crisis",
        ["TN"],
        "risk-alert",
        "local",
        NA,
        Status.SUBMITTED,
        ["youth"],
        "Protests in the mining basin",
        "Unemployed graduates plan sit-ins; police reinforcements arrived.",
        [("eud", "Follow the situation in the mining basin.")],
        None,
        None,
    ),
    # Waiting in the HQ queue: no delegation covers Syria, and one CSO asked for HQ-direct.
    (
        "pending-sy-1",
        "lpi",
        "crisis",
        ["SY"],
        "risk-alert",
        "local",
        NA,
        Status.SUBMITTED,
        ["human-rights"],
        "Detentions at checkpoints in the south",
        "Families report young men detained at checkpoints for days without charge.",
        [("international-partners", "Raise checkpoint detentions in the humanitarian dialogue.")],
        None,
        None,
    ),
    (
        "pending-ua-hq",
        "kcon",
        "organised-crime",
        ["UA"],
        "risk-alert",
        "national",
        NA,
        Status.SUBMITTED,
        ["civic-space"],
        "Pressure on our researchers after the smuggling report",
        "Since our report on cigarette smuggling, two researchers were followed and questioned.",
        [("eu", "Ask about the protection of researchers in the human rights dialogue.")],
        None,
        None,
    ),
    (
        "pending-ua-1",
        "kcon",
        "cybercrime",
        ["UA"],
        "context-analysis",
        "national",
        NA,
        Status.IN_REVIEW,
        ["civic-space"],
        "Blocking of websites",
        "More than a hundred sites were blocked without court orders.",
        [("eud", "Ask for the legal basis of the blocking orders.")],
        None,
        None,
    ),
    (
        "pending-lb-1",
        "lpi",
        "ssr",
        ["LB"],
        "recommendation",
        "local",
        NA,
        Status.RETURNED,
        ["community-security"],
        "Community policing pilot",
        "A pilot in two municipalities could test community policing.",
        [("eud", "Fund a pilot.")],
        None,
        None,
    ),
    (
        "pending-jo-1",
        "awmn",
        "crisis",
        ["JO"],
        "context-analysis",
        "local",
        NA,
        Status.DECLINED,
        [],
        "General remarks",
        "We support the consultation.",
        [],
        None,
        None,
    ),
    (
        "draft-ge-1",
        "cyd",
        "ssr",
        ["GE"],
        "context-analysis",
        "local",
        NA,
        Status.DRAFT,
        ["youth"],
        "Youth and the police in Kutaisi",
        "Draft: notes from our youth forum.",
        [],
        None,
        None,
    ),
    (
        "draft-am-1",
        "cyd",
        "crisis",
        ["AM"],
        "risk-alert",
        "local",
        NA,
        Status.DRAFT,
        ["conflict-sensitivity"],
        "Villages near the border",
        "Draft: shelters are lacking.",
        [],
        None,
        None,
    ),
]

# A few forwarded inputs whose text a moderator redacted.
REVIEWED_TEXT = {
    "ssr-ua-1": "Public councils attached to law enforcement agencies exist on paper, but "
    "members are appointed without open calls and rarely see documents. [redacted]",
    "ssr-ge-1": "Leaked files show that journalists covering police violence were followed "
    "([redacted]). The oversight body has not opened an inquiry.",
    "crisis-sy-1": "Our monitors report mobilisation near two towns ([redacted]) and "
    "families leaving.",
}


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
    return added
