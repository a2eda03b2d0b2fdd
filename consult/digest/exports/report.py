"""The narrative report's content, shared by the DOCX and the printable HTML page.

Laid out like the 2017 CSDN meeting report: Background, Overview, one
section per priority (context findings, recommendations grouped by
addressee, good practices by country) and a closing note on method and the
Chatham House Rule. Counts come from the SQL aggregates; the text of the
inputs is read once, in the digest's (priority) order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext as _

if TYPE_CHECKING:
    from consult.digest.contents import Digest, DigestInput

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

CHATHAM_HOUSE_RULE = (
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


def _sections(digest: Digest) -> list[Section]:
    ref = digest.reference
    questions: dict[str, list[str]] = {}
    if digest.consultation is not None:
        for q in digest.consultation.questions:
            questions.setdefault(q.priority_slug, []).append(q.text)
    by_slug: dict[str, Section] = {}
    ordered: list[Section] = []
    for slug, name in ref.priorities.items():
        cell = digest.aggregates.by_priority.get(slug)
        if cell is None or (digest.filters.priority and slug != digest.filters.priority):
            continue
        hidden = digest.anonymiser.total_hidden(slug)
        section = Section(
            numeral=ROMAN[len(ordered) % len(ROMAN)],
            slug=slug,
            name=name,
            inputs=None if hidden else cell.inputs,
            organisations=None if hidden else cell.organisations,
            questions=questions.get(slug, []),
            recommendations={addressee: [] for addressee in ref.addressees.values()},
        )
        by_slug[slug] = section
        ordered.append(section)
    for item in digest.inputs():
        section = by_slug.get(item.priority_slug)
        if section is None:
            continue
        if item.type_slug == "good-practice":
            section.good_practices.setdefault(item.group_place, []).append(_finding(item))
        else:
            section.findings.append(_finding(item))
        for _slug, addressee, text in item.recommendations:
            section.recommendations.setdefault(addressee, []).append((text, item.attribution))
    for section in ordered:
        section.recommendations = {k: v for k, v in section.recommendations.items() if v}
        section.good_practices = dict(sorted(section.good_practices.items()))
    return ordered


def _summary_sentence(digest: Digest) -> str:
    """What the report sums up; externally, only the countries it names are counted."""
    counts = {
        "inputs": digest.count,
        "orgs": digest.aggregates.organisations,
        "countries": digest.countries_count,
    }
    if digest.filters.external:
        lead = _(
            "This report is a summary of the %(inputs)d inputs forwarded to headquarters "
            "from %(orgs)d organisations that match the filters listed below. It names "
            "%(countries)d countries; inputs from fewer than %(k)d organisations in a country "
            "are reported by region.",
            k=digest.k,
            **counts,
        )
    else:
        lead = _(
            "This report is a summary of the %(inputs)d inputs forwarded to headquarters "
            "from %(orgs)d organisations about %(countries)d countries that match the filters "
            "listed below.",
            **counts,
        )
    return (
        lead
        + " "
        + _(
            "The views expressed may not be attributed to any participating individual or "
            "organisation, unless the organisation chose to be named, nor do they necessarily "
            "represent the views of all contributors or of the EU institutions."
        )
    )


def build_report(digest: Digest) -> Report:
    agg = digest.aggregates
    consultation = digest.consultation
    if consultation is not None:
        title = consultation.title
        background = [
            _(
                "Between %(opens)s and %(closes)s, the EEAS and DG NEAR invited civil society "
                "organisations (CSOs) working in or on the European Neighbourhood to take part "
                "in the consultation \u201c%(title)s\u201d.",
                opens=consultation.opens_at.strftime("%d %B %Y"),
                closes=consultation.closes_at.strftime("%d %B %Y"),
                title=consultation.title,
            )
        ]
        if consultation.description:
            background.append(consultation.description)
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
        (
            (c.inputs, ref_name)
            for slug, c in agg.by_priority.items()
            if (ref_name := digest.reference.priorities.get(slug))
            and not digest.anonymiser.total_hidden(slug)
        ),
        reverse=True,
    )[:3]
    overview = [
        _(
            "In total, %(inputs)d inputs with %(recs)d recommendations were forwarded. "
            "The matrix below shows how they spread across the priorities and the countries "
            "they concern; an input about several countries is counted under each of them.",
            inputs=digest.count,
            recs=agg.recommendations,
        )
    ]
    if top_priorities:
        overview.append(
            _(
                "Most inputs concerned %(list)s.",
                list="; ".join(f"{name} ({n})" for n, name in top_priorities),
            )
        )
    matrix = digest.matrix()
    if digest.filters.external and matrix.has_small:
        overview.append(
            _(
                "Cells marked \u201c%(mark)s\u201d stand for fewer than %(k)d "
                "organisations, perhaps none; to keep them anonymous, their inputs are "
                "reported at region level.",
                mark=f"<{digest.k}" if matrix.compact else _("fewer than %(k)d", k=digest.k),
                k=digest.k,
            )
        )
    if digest.filters.external and matrix.has_hidden:
        overview.append(
            _(
                "Cells and totals marked \u201chidden\u201d are not given so that a small "
                "group cannot be worked out by subtraction; a hidden cell may hold any "
                "number, and its inputs are reported at region level too."
            )
        )
    if digest.withheld:
        overview.append(
            _(
                "Some inputs from groups of fewer than %(k)d organisations are not listed, "
                "because the filters or the matrix would identify their country; they are "
                "left out of every count.",
                k=digest.k,
            )
        )
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
    ]
    if digest.filters.external:
        method += [
            _(
                "This digest may be shared outside the EU institutions. Inputs marked "
                "\u201cEU staff only\u201d are left out; e-mail addresses, telephone numbers, "
                "web addresses and names of registered organisations and people that remained "
                "in the text were replaced by [redacted] when the report was generated."
            ),
            _(
                "Where fewer than %(k)d organisations stand behind a priority and a country, "
                "the country is not given: their inputs are attributed to a CSO in the "
                "region. The order of the inputs follows the priorities and says nothing "
                "about when or by whom they were sent.",
                k=digest.k,
            ),
            _(
                "The matrix shows every country the report covers, whether or not it has "
                "inputs. So that a small group cannot be told from the empty cells around "
                "it, every empty cell of its priority in its region also reads "
                "\u201cfewer than %(k)d\u201d. Where every other country of the region "
                "has at least %(k)d organisations, one of them is hidden as well, and its "
                "inputs are attributed at region level too. Where a region holds a single "
                "country of the report, the inputs of that priority are attributed to a CSO "
                "in the European Neighbourhood; where a priority has no other cell to hide, "
                "its total is hidden and its inputs are left out.",
                k=digest.k,
            ),
        ]
    else:
        method.append(
            _(
                "This is an internal digest for EU staff: it includes inputs marked "
                "\u201cEU staff only\u201d and must not leave the EU institutions."
            )
        )
    method.append(
        _(
            "Generated by the consult platform on %(when)s UTC.",
            when=digest.generated_at.strftime("%d %B %Y, %H:%M"),
        )
    )
    return Report(
        title=title,
        subtitle=_("Consultation digest"),
        audience=digest.audience_label,
        generated=digest.generated_at.strftime("%d %B %Y"),
        background=background,
        filters=digest.filter_description(),
        overview=overview,
        sections=_sections(digest),
        method=method,
        chatham_house=[
            _(
                "Inputs are handled under the Chatham House Rule unless their organisation "
                "chose otherwise:"
            ),
            CHATHAM_HOUSE_RULE,
        ],
    )
