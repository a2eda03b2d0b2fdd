"""The reference data of DESIGN.md, as plain tuples (slug, name).

Names are English and marked with ``N_`` so that ``make messages`` extracts them:
the catalogues hold each name in every interface language (see consult.i18n.label).
"""

from __future__ import annotations

from consult.i18n import N_

REGIONS = [
    ("south", N_("South"), N_("the Southern Neighbourhood")),
    ("east", N_("East"), N_("the Eastern Neighbourhood")),
]

COUNTRIES = [
    ("DZ", N_("Algeria"), "south"),
    ("EG", N_("Egypt"), "south"),
    ("IL", N_("Israel"), "south"),
    ("JO", N_("Jordan"), "south"),
    ("LB", N_("Lebanon"), "south"),
    ("LY", N_("Libya"), "south"),
    ("MA", N_("Morocco"), "south"),
    ("PS", N_("Palestine"), "south"),
    ("SY", N_("Syria"), "south"),
    ("TN", N_("Tunisia"), "south"),
    ("AM", N_("Armenia"), "east"),
    ("AZ", N_("Azerbaijan"), "east"),
    ("BY", N_("Belarus"), "east"),
    ("GE", N_("Georgia"), "east"),
    ("MD", N_("Moldova"), "east"),
    ("UA", N_("Ukraine"), "east"),
]

PRIORITIES = [
    ("ssr", N_("Security sector reform (incl. community security)")),
    ("terrorism", N_("Tackling terrorism and preventing radicalisation")),
    ("organised-crime", N_("Disrupting organised crime")),
    ("cybercrime", N_("Fighting cybercrime")),
    ("cbrn", N_("CBRN risk mitigation")),
    ("csdp", N_("Common Security and Defence Policy (CSDP)")),
    ("crisis", N_("Crisis management and response (incl. conflict prevention)")),
]

INPUT_TYPES = [
    ("context-analysis", N_("Context analysis")),
    ("recommendation", N_("Recommendation")),
    ("good-practice", N_("Good practice")),
    ("lesson-learned", N_("Lesson learned / what works")),
    ("risk-alert", N_("Concern or risk alert")),
]

THEMES = [
    ("gender", N_("Gender and women")),
    ("youth", N_("Youth")),
    ("human-rights", N_("Human rights")),
    ("rule-of-law", N_("Rule of law")),
    ("conflict-sensitivity", N_("Conflict sensitivity / do no harm")),
    ("community-security", N_("Community security")),
    ("local-ownership", N_("Local ownership")),
    ("oversight", N_("Oversight and accountability")),
    ("civic-space", N_("Civic space")),
    ("media", N_("Media and disinformation")),
    ("livelihoods", N_("Livelihoods")),
    ("funding", N_("Long-term and flexible funding")),
    ("monitoring", N_("Monitoring and evaluation")),
]

LEVELS = [
    ("local", N_("Local")),
    ("national", N_("National")),
    ("regional", N_("Regional")),
    ("cross-border", N_("Cross-border")),
]

ADDRESSEES = [
    ("eu", N_("EU")),
    ("eud", N_("EU Delegation")),
    ("member-states", N_("EU member states")),
    ("partner-government", N_("Partner government")),
    ("csos", N_("Civil society organisations")),
    ("international-partners", N_("International partners")),
]

# The languages an input may be written in (ISO 639-1).
INPUT_LANGUAGES = [
    ("en", N_("English")),
    ("fr", N_("French")),
    ("ar", N_("Arabic")),
    ("ru", N_("Russian")),
    ("uk", N_("Ukrainian")),
    ("he", N_("Hebrew")),
    ("hy", N_("Armenian")),
    ("az", N_("Azerbaijani")),
    ("be", N_("Belarusian")),
    ("ka", N_("Georgian")),
    ("ro", N_("Romanian")),
    ("other", N_("Other")),
]

# Delegations seeded for the demo and a fresh install: one per country except
# Syria, where no delegation is reachable and inputs go straight to HQ. Each name
# is written out so that the catalogues can give it in every language.
DELEGATIONS = [
    ("eud-dz", N_("EU Delegation to Algeria"), ["DZ"]),
    ("eud-eg", N_("EU Delegation to Egypt"), ["EG"]),
    ("eud-il", N_("EU Delegation to Israel"), ["IL"]),
    ("eud-jo", N_("EU Delegation to Jordan"), ["JO"]),
    ("eud-lb", N_("EU Delegation to Lebanon"), ["LB"]),
    ("eud-ly", N_("EU Delegation to Libya"), ["LY"]),
    ("eud-ma", N_("EU Delegation to Morocco"), ["MA"]),
    ("eud-ps", N_("EU Delegation to Palestine"), ["PS"]),
    ("eud-tn", N_("EU Delegation to Tunisia"), ["TN"]),
    ("eud-am", N_("EU Delegation to Armenia"), ["AM"]),
    ("eud-az", N_("EU Delegation to Azerbaijan"), ["AZ"]),
    ("eud-by", N_("EU Delegation to Belarus"), ["BY"]),
    ("eud-ge", N_("EU Delegation to Georgia"), ["GE"]),
    ("eud-md", N_("EU Delegation to Moldova"), ["MD"]),
    ("eud-ua", N_("EU Delegation to Ukraine"), ["UA"]),
]
