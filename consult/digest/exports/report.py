"""The narrative report's content, shared by the DOCX and the printable HTML page.

Laid out like the 2017 CSDN meeting report: Background, Overview, one
section per priority (context findings, recommendations grouped by
addressee, good practices by country) and a closing note on method and the
Chatham House Rule. Counts and the sentences that depend on the audience
come from the shaped digest; the text of the inputs is read once, in the
digest's (priority) order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _

from consult.i18n import N_

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

#: The Rule's own words; the catalogues translate them (docs/languages.md says how to check).
CHATHAM_HOUSE_RULE = N_(
    "When a meeting, or part thereof, is held under the Chatham House Rule, participants "
    "are free to use the information received, but neither the identity nor the "
    "affiliation of the speaker(s), nor that of any other participant, may be revealed."
)


@dataclass
class Finding:
    title: str
    text: str
    label: str
    type: str
    recommendations: int = 0


@dataclass
class Section:
    numeral: str
    slug: str
    name: str
    #: None when the priority's total is hidden (its only cell is a small group).
    inputs: int | None
    organisations: int | None
    questions: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recommendations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    good_practices: dict[str, list[Finding]] = field(default_factory=dict)
    #: Beyond the report's threshold: how many inputs are shown, in words (None: all).
    selection: str | None = None
    #: Beyond the threshold: the themes of all the priority's inputs, (name, count).
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def theme_list(self) -> str:
        """``Youth (12), Gender and women (5)``: the themes, most frequent first."""
        return ", ".join(f"{name} ({count})" for name, count in self.themes)


@dataclass
class Report:
    title: str
    subtitle: str
    audience: str
    generated: str
    background: list[str]
    filters: list[tuple[str, str]]
    overview: list[str]
    sections: list[Section]
    method: list[str]
    chatham_house: list[str]


def _finding(item: DigestInput) -> Finding:
    return Finding(
        title=item.title,
        text=item.summary or item.body,
        label=item.attribution,
        type=item.type,
        recommendations=len(item.recommendations),
    )


@dataclass(frozen=True)
class Selection:
    """How many inputs a report shows per priority and place (None: every input)."""

    per_place: int | None

    @classmethod
    def for_digest(cls, digest: Digest) -> Selection:
        if digest.count <= current_app.config["REPORT_FULL_MAX_INPUTS"]:
            return cls(None)
        return cls(max(1, int(current_app.config["REPORT_PER_PLACE"])))


def _sections(digest: Digest, selection: Selection) -> list[Section]:
    questions: dict[str, list[str]] = {}
    if digest.consultation is not None:
        for q in digest.consultation.questions:
            questions.setdefault(q.priority_slug, []).append(q.text)
    addressees = [name for _slug, name, _n in digest.addressee_counts()]
    by_slug: dict[str, Section] = {}
    ordered: list[Section] = []
    for count in digest.priority_counts():
        section = Section(
            numeral=ROMAN[len(ordered) % len(ROMAN)],
            slug=count.slug,
            name=count.name,
            inputs=count.inputs,
            organisations=count.organisations,
            questions=questions.get(count.slug, []),
            recommendations={addressee: [] for addressee in addressees},
        )
        by_slug[count.slug] = section
        ordered.append(section)
    shown: Counter[tuple[str, str]] = Counter()
    seen: Counter[str] = Counter()
    themes: dict[str, Counter[str]] = {}
    for item in digest.inputs():
        section = by_slug.get(item.priority_slug)
        if section is None:
            continue
        seen[section.slug] += 1
        if selection.per_place is not None:
            themes.setdefault(section.slug, Counter()).update(item.themes)
            place = (section.slug, item.group_place)
            if shown[place] >= selection.per_place:
                continue
            shown[place] += 1
        if item.type_slug == "good-practice":
            section.good_practices.setdefault(item.group_place, []).append(_finding(item))
        else:
            section.findings.append(_finding(item))
        for _slug, addressee, text in item.recommendations:
            section.recommendations.setdefault(addressee, []).append((text, item.attribution))
    for section in ordered:
        if selection.per_place is not None:
            section.themes = themes.get(section.slug, Counter()).most_common()
            count = sum(n for (slug, _place), n in shown.items() if slug == section.slug)
            section.selection = ngettext(
                "A selection: %(num)d input of %(total)d, at most %(per)d per country.",
                "A selection: %(num)d inputs of %(total)d, at most %(per)d per country.",
                count,
                total=seen[section.slug],
                per=selection.per_place,
            )
        section.recommendations = {k: v for k, v in section.recommendations.items() if v}
        section.good_practices = dict(sorted(section.good_practices.items()))
    return ordered


def _summary_sentence(digest: Digest) -> str:
    """What the report sums up (the digest says it for its audience)."""
    return (
        digest.texts().summary
        + " "
        + _(
            "The views expressed may not be attributed to any participating individual or "
            "organisation, unless the organisation chose to be named, nor do they necessarily "
            "represent the views of all contributors or of the EU institutions."
        )
    )


def _selection_note(digest: Digest, selection: Selection) -> list[str]:
    if selection.per_place is None:
        return []
    return [
        _(
            "This digest holds %(count)d inputs, more than a report can usefully print "
            "(%(most)d). The report therefore gives the counts and themes of every priority, "
            "and a selection of inputs: for each priority and each country (or group of "
            "countries), at most %(per)d, taken in the order of their reference, which is "
            "random. It is in effect a random sample, and every download of the same digest "
            "shows the same one. The CSV, XLSX and JSON files carry every input.",
            count=digest.count,
            most=current_app.config["REPORT_FULL_MAX_INPUTS"],
            per=selection.per_place,
        )
    ]


def build_report(digest: Digest) -> Report:
    totals = digest.totals()
    selection = Selection.for_digest(digest)
    texts = digest.texts()
    consultation = digest.consultation
    if consultation is not None:
        title = consultation.title
        background = [
            _(
                "Between %(opens)s and %(closes)s, the EEAS and DG NEAR invited civil society "
                "organisations (CSOs) working in or on the European Neighbourhood to take part "
                "in the consultation \u201c%(title)s\u201d.",
                opens=format_date(consultation.opens_at, "long"),
                closes=format_date(consultation.closes_at, "long"),
                title=consultation.title,
            )
        ]
        if consultation.description:
            background.append(consultation.description)
        if consultation.partly_english:
            background.append(
                _(
                    "Parts of the consultation's own texts are quoted in English: they have "
                    "not been translated into this language."
                )
            )
    else:
        title = _("Civil society perspectives on the ENP security dimension")
        background = [
            _(
                "The EEAS and DG NEAR consult civil society organisations (CSOs) working in or "
                "on the European Neighbourhood on the seven priorities of the security "
                "dimension of the European Neighbourhood Policy. This report covers every "
                "consultation held on the platform."
            )
        ]
    background += [
        _(
            "CSOs submitted context analysis, recommendations, good practices, lessons learned "
            "and risk alerts. EU Delegations reviewed each input and forwarded it to "
            "headquarters; inputs from countries without a reachable Delegation, or from "
            "organisations at risk, went to headquarters directly."
        ),
        _summary_sentence(digest),
        _("The consultation took place under the Chatham House Rule."),
    ]
    top_priorities = sorted(
        ((c.inputs, c.name) for c in digest.priority_counts() if c.inputs is not None),
        reverse=True,
    )[:3]
    overview = [
        _(
            "In total, %(inputs)d inputs with %(recs)d recommendations were forwarded. "
            "The matrix below shows how they spread across the priorities and the countries "
            "they concern; an input about several countries is counted under each of them.",
            inputs=totals.inputs,
            recs=totals.recommendations,
        )
    ]
    if top_priorities:
        overview.append(
            _(
                "Most inputs concerned %(list)s.",
                list="; ".join(f"{name} ({n})" for n, name in top_priorities),
            )
        )
    overview += texts.overview_notes
    method = [
        _(
            "Only inputs that an EU Delegation or headquarters reviewed and forwarded are "
            "included, in their reviewed form: moderators may correct the priority, country "
            "and type, add a short summary and redact passages. Duplicates merged by a "
            "moderator count once."
        ),
        _(
            "An organisation is named only when it chose to be; every other input is "
            "attributed to \u201ca CSO working in\u201d its countries."
        ),
        *texts.method,
        *_selection_note(digest, selection),
        _(
            "Generated by the consult platform on %(when)s UTC.",
            when=format_datetime(digest.generated_at, "medium"),
        ),
    ]
    return Report(
        title=title,
        subtitle=_("Consultation digest"),
        audience=digest.audience_label,
        generated=format_date(digest.generated_at, "long"),
        background=background,
        filters=digest.filter_description(),
        overview=overview,
        sections=_sections(digest, selection),
        method=method,
        chatham_house=[
            _(
                "Inputs are handled under the Chatham House Rule unless their organisation "
                "chose otherwise:"
            ),
            _(CHATHAM_HOUSE_RULE),
        ],
    )
