"""The reference data of DESIGN.md, as plain tuples (slug, name)."""

from __future__ import annotations

REGIONS = [
    ("south", "South", "the Southern Neighbourhood"),
    ("east", "East", "the Eastern Neighbourhood"),
]

COUNTRIES = [
    ("DZ", "Algeria", "south"),
    ("EG", "Egypt", "south"),
    ("IL", "Israel", "south"),
    ("JO", "Jordan", "south"),
    ("LB", "Lebanon", "south"),
    ("LY", "Libya", "south"),
    ("MA", "Morocco", "south"),
    ("PS", "Palestine", "south"),
    ("SY", "Syria", "south"),
    ("TN", "Tunisia", "south"),
    ("AM", "Armenia", "east"),
    ("AZ", "Azerbaijan", "east"),
    ("BY", "Belarus", "east"),
    ("GE", "Georgia", "east"),
    ("MD", "Moldova", "east"),
    ("UA", "Ukraine", "east"),
]

PRIORITIES = [
    ("ssr", "Security sector reform (incl. community security)"),
    ("terrorism", "Tackling terrorism and preventing radicalisation"),
    ("organised-crime", "Disrupting organised crime"),
    ("cybercrime", "Fighting cybercrime"),
    ("cbrn", "CBRN risk mitigation"),
    ("csdp", "Common Security and Defence Policy (CSDP)"),
    ("crisis", "Crisis management and response (incl. conflict prevention)"),
]

INPUT_TYPES = [
    ("context-analysis", "Context analysis"),
    ("recommendation", "Recommendation"),
    ("good-practice", "Good practice"),
    ("lesson-learned", "Lesson learned / what works"),
    ("risk-alert", "Concern or risk alert"),
]

THEMES = [
    ("gender", "Gender and women"),
    ("youth", "Youth"),
    ("human-rights", "Human rights"),
    ("rule-of-law", "Rule of law"),
    ("conflict-sensitivity", "Conflict sensitivity / do no harm"),
    ("community-security", "Community security"),
    ("local-ownership", "Local ownership"),
    ("oversight", "Oversight and accountability"),
    ("civic-space", "Civic space"),
    ("media", "Media and disinformation"),
    ("livelihoods", "Livelihoods"),
    ("funding", "Long-term and flexible funding"),
    ("monitoring", "Monitoring and evaluation"),
]

LEVELS = [
    ("local", "Local"),
    ("national", "National"),
    ("regional", "Regional"),
    ("cross-border", "Cross-border"),
]

ADDRESSEES = [
    ("eu", "EU"),
    ("eud", "EU Delegation"),
    ("member-states", "EU member states"),
    ("partner-government", "Partner government"),
    ("csos", "Civil society organisations"),
    ("international-partners", "International partners"),
]

# The languages an input may be written in (ISO 639-1).
INPUT_LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("he", "Hebrew"),
    ("hy", "Armenian"),
    ("az", "Azerbaijani"),
    ("be", "Belarusian"),
    ("ka", "Georgian"),
    ("ro", "Romanian"),
    ("other", "Other"),
]

# Delegations seeded for the demo and a fresh install: one per country except
# Syria, where no delegation is reachable and inputs go straight to HQ.
DELEGATIONS = [
    (f"eud-{code.lower()}", f"EU Delegation to {name}", [code])
    for code, name, _region in COUNTRIES
    if code != "SY"
]
