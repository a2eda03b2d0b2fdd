"""The suppression audit (linear programming) and the protection loop, without a database."""

from __future__ import annotations

import pytest

from consult.digest.releases.audit import ListedInput, PublishedRelease, PublishedRow, audit
from consult.digest.releases.places import preview, replace_places
from consult.digest.releases.suppression import Candidate, CellCount, Protector

REGION = {"TN": "south", "LY": "south", "EG": "south", "UA": "east", "MD": "east"}
COLUMNS = ("TN", "LY", "EG", "UA", "MD")


def _inputs(cells: dict[tuple[str, str], CellCount]) -> list[Candidate]:
    found, n = [], 0
    for (priority, country), cell in cells.items():
        for _ in range(cell.inputs):
            found.append(Candidate(f"i{n}", priority, (country,)))
            n += 1
    return found


def test_a_lone_region_level_input_is_pinned_and_fails():
    """One small input, alone at region level beside visible cells: the reader knows it all."""
    row = PublishedRow(visible={"TN": 4, "EG": 3}, fewer={"LY"})
    release = PublishedRelease(
        "#1",
        ("TN", "LY", "EG"),
        {"ssr": row},
        [ListedInput("x", "ssr", None, ("TN", "LY", "EG"))]
        + [ListedInput(f"t{i}", "ssr", ("TN",)) for i in range(4)]
        + [ListedInput(f"e{i}", "ssr", ("EG",)) for i in range(3)],
        {("ssr", "LY")},
    )
    (interval,) = audit([release], 3)
    assert (interval.low, interval.high) == (1, 1)
    assert not interval.passes


def test_protection_hides_a_partner_until_every_interval_passes():
    cells = {
        ("ssr", "TN"): CellCount(5, 4),
        ("ssr", "LY"): CellCount(1, 1),
        ("ssr", "EG"): CellCount(3, 3),
        ("ssr", "UA"): CellCount(4, 3),
    }
    protection = Protector(cells, _inputs(cells), COLUMNS, REGION.get, 3).protect()
    plan = protection.rows["ssr"]
    assert plan.primary == {"LY"}
    assert plan.secondary == {"EG"}  # the smallest visible cell of the region
    assert (interval := protection.intervals[0]).passes
    assert interval.low == 0 and interval.high >= 3


def test_a_region_of_one_country_is_protected_as_the_whole_neighbourhood():
    cells = {("ssr", "TN"): CellCount(5, 4), ("ssr", "MD"): CellCount(1, 1)}
    protection = Protector(cells, _inputs(cells), ("TN", "LY", "MD"), REGION.get, 3).protect()
    plan = protection.rows["ssr"]
    assert plan.wide
    assert all(i.passes for i in protection.intervals)


def test_a_row_with_nothing_to_hide_withholds_its_region_level_inputs():
    cells = {("ssr", "TN"): CellCount(2, 2)}
    protection = Protector(cells, _inputs(cells), ("TN",), REGION.get, 3).protect()
    assert protection.rows["ssr"].withheld
    assert protection.withholds("ssr", ["TN"])
    assert all(i.passes for i in protection.intervals)


def test_subtracting_two_releases_is_audited_together():
    """Release 1 named an input's country; release 2 must not leave it alone in a small cell."""
    first_cells = {("ssr", "TN"): CellCount(3, 3)}
    first = Protector(first_cells, _inputs(first_cells), COLUMNS, REGION.get, 3, name="#1")
    published = first.published(first.initial())
    assert published.inputs[0].countries == ("TN",)  # shown with its country
    # Release 2 covers fewer months: the same input is now in a small cell of Tunisia.
    second_cells = {("ssr", "TN"): CellCount(1, 1), ("ssr", "EG"): CellCount(4, 3)}
    second_inputs = [Candidate("i0", "ssr", ("TN",))] + [
        Candidate(f"e{i}", "ssr", ("EG",)) for i in range(4)
    ]
    alone = Protector(second_cells, second_inputs, COLUMNS, REGION.get, 3, name="#2").protect()
    together = Protector(
        second_cells, second_inputs, COLUMNS, REGION.get, 3, earlier=[published], name="#2"
    ).protect()
    assert not alone.rows["ssr"].withheld
    # The reader links the input by its text: its cell is at least 1 unless withheld.
    assert together.rows["ssr"].withheld
    assert all(i.passes for i in together.intervals)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Returnee safety in southern Syria", "Returnee safety in southern [place]"),
        ("Syrian families in Aleppo and Daraa", "[place] families in [place] and [place]"),
        ("Les réfugiés syriens à Alep", "Les réfugiés [place] à [place]"),
        ("Беженцы в Сирии и в Алеппо", "Беженцы в [place] и в [place]"),
        ("Біженці з Сирії", "Біженці з [place]"),
        ("اللاجئون في سوريا وفي حلب", "اللاجئون في [place] وفي [place]"),
    ],
)
def test_place_names_of_withheld_countries_read_place(text, expected):
    assert replace_places(text, ["SY", "LB", "JO"]) == expected


def test_decoys_and_other_countries_survive():
    text = "UNSCR 1325, Law 58 of 2017, the Ministry of Interior and the EU Delegation in Kyiv."
    assert replace_places(text, ["SY", "LB"]) == text
    assert [r.text for r in preview("Talks in Beirut, then Tunis", ["LB"])] == ["Beirut"]


def test_the_review_page_shows_which_place_names_a_release_would_replace(app, consultation):
    from tests import factories

    org = factories.make_organisation("Kasserine Youth", ["TN"])
    member = factories.make_user("k@ky.example.org", "cso", organisation=org)
    item = factories.make_input(
        consultation,
        member,
        title="Community policing in Kasserine",
        body="Tunisian police rarely meet youth in Sfax; the Ministry of Interior agrees.",
    )
    moderator = factories.make_user("mod.tn@eeas.example.org", "moderator", delegation="eud-tn")
    client = factories.login(app.test_client(), moderator)
    page = client.get(f"/review/inputs/{item.id}").get_data(as_text=True)
    assert "Place names in external releases" in page
    section = page[page.index('id="place-preview"') :]
    for word in ("Kasserine", "Tunisian", "Sfax"):
        assert f"<strong>{word}</strong> (Tunisia)" in section
    assert "Ministry" not in section[: section.index("</section>")]
