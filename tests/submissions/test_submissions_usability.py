"""What a CSO member on a small phone or with a screen reader notices on the submission pages."""

from __future__ import annotations

import io

import lxml.html

from consult.inputs.events import EventKind
from consult.inputs.states import Status
from tests import factories
from tests.sample_files import pdf_with_author
from tests.submissions.conftest import new_url, payload, text_url


def parse(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def described_ids(element) -> list[str]:
    return (element.get("aria-describedby") or "").split()


def test_every_error_on_the_form_is_tied_to_its_field(cso, consultation):
    page = parse(cso.post(new_url(consultation), data={"submit": "Submit input"}))
    errors = page.xpath("//*[contains(@class, 'field-error')]")
    assert len(errors) == 7
    for error in errors:
        error_id = error.get("id")
        assert error_id, error.text_content()
        assert page.xpath(f"//*[contains(concat(' ', @aria-describedby, ' '), ' {error_id} ')]"), (
            error.text_content()
        )
    # Controls in error say so, and keep their hint.
    for name in ("priority", "main_country", "level", "input_type", "title", "body"):
        control = page.get_element_by_id(name)
        assert control.get("aria-invalid") == "true", name
        assert f"{name}-error" in described_ids(control)
    assert "title-hint" in described_ids(page.get_element_by_id("title"))
    # "Write at least one recommendation" leads to the first box, which names the problem.
    first = page.get_element_by_id("recommendations-0-text")
    assert first.get("aria-invalid") == "true"
    assert "recommendations-error" in described_ids(first)
    # Every summary link leads to something on the page.
    for link in page.xpath("//*[contains(@class, 'error-summary')]//a"):
        assert page.xpath(f"//*[@id='{link.get('href')[1:]}']")


def test_a_refused_file_is_announced_on_the_file_field(cso, consultation):
    data = payload()
    data["attachments"] = (io.BytesIO(b"<html>not a pdf</html>"), "report.pdf")
    page = parse(cso.post(new_url(consultation), data=data, content_type="multipart/form-data"))
    field = page.get_element_by_id("attachments")
    assert field.get("aria-invalid") == "true"
    assert "attachments-error" in described_ids(field)
    assert "report.pdf" in page.get_element_by_id("attachments-error").text_content()


def test_recommendation_rows_are_labelled_groups_and_adding_one_jumps_to_it(cso, consultation):
    data = payload(add_recommendation="Add another recommendation")
    data.pop("submit")
    page = parse(cso.post(new_url(consultation), data=data))
    rows = page.xpath("//fieldset[@class='recommendation']")
    assert [r.xpath("string(legend)") for r in rows] == [
        "Recommendation 1",
        "Recommendation 2",
        "Recommendation 3",
    ]
    labels = [page.xpath(f"string(//label[@for='recommendations-{n}-text'])") for n in range(3)]
    assert labels == [f"Text of recommendation {n}" for n in (1, 2, 3)]
    # Without JavaScript the page comes back scrolled to the next new row, not to the top.
    button = page.xpath("//input[@name='add_recommendation']")[0]
    assert button.get("formaction") == f"{new_url(consultation)}#recommendation-4"
    assert page.get_element_by_id("recommendation-3") is not None
    # The form itself posts to the bare address, so the next error summary shows at the top.
    assert page.xpath("//form[contains(@class, 'input-form')]")[0].get("action") == new_url(
        consultation
    )


def test_guiding_questions_on_the_form_do_not_skip_heading_levels(cso, consultation):
    page = parse(cso.get(text_url(consultation)))
    levels = [int(h.tag[1]) for h in page.xpath("//main//h1|//main//h2|//main//h3|//main//h4")]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_returned_input_shows_the_question_before_the_details(cso, consultation, cso_user):
    item = factories.make_input(consultation, cso_user, status=Status.RETURNED)
    factories.add_event(item, EventKind.RETURNED, "Which governorate is this about?")
    html = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    notice_at = html.index(
        'The moderator asks:</strong> <span dir="auto">Which governorate is this about?'
    )
    assert notice_at < html.index("<h2>Details</h2>") < html.index("What happened to it")


def test_withdraw_and_delete_ask_for_a_second_tap(cso, consultation, cso_user):
    item = factories.make_input(consultation, cso_user)
    page = parse(cso.get(f"/inputs/{item.id}"))
    button = page.xpath("//button[normalize-space()='Withdraw this input']")[0]
    assert button.xpath("ancestor::details[contains(@class, 'confirm')]")
    draft = factories.make_input(consultation, cso_user, status=Status.DRAFT)
    page = parse(cso.get(f"/inputs/{draft.id}"))
    button = page.xpath("//button[normalize-space()='Delete draft']")[0]
    assert button.xpath("ancestor::details[contains(@class, 'confirm')]")
    assert page.xpath("//a[normalize-space()='Continue editing']")[0].xpath(
        "not(ancestor::details)"
    )


def test_small_files_are_not_shown_as_zero_kb(cso, consultation):
    data = payload(submit=None, save_draft="Save as draft")
    data["attachments"] = (io.BytesIO(pdf_with_author()), "minutes.pdf")
    response = cso.post(new_url(consultation), data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    draft_url = response.headers["Location"]
    for url in (draft_url, draft_url.removesuffix("/edit")):
        html = cso.get(url).get_data(as_text=True)
        assert "minutes.pdf" in html
        assert "(0 KB)" not in html and " bytes)" in html, url


def test_empty_draft_says_its_text_is_not_written_yet(cso, consultation):
    data = {"save_draft": "Save as draft", "main_country": "TN"}
    response = cso.post(new_url(consultation), data=data)
    html = cso.get(response.headers["Location"].removesuffix("/edit")).get_data(as_text=True)
    assert "Not written yet." in html


def test_consultation_page_warns_an_unverified_organisation_before_writing(
    client, consultation, login
):
    org = factories.make_organisation("Caucasus Youth Dialogue", ["GE"], verified=False)
    login(client, factories.make_user("nino@cyd.example.org", "cso", organisation=org))
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "not verified yet" in html and "Write an input" in html


def test_our_inputs_names_the_consultation_only_when_there_are_several(cso, consultation, cso_user):
    factories.make_input(consultation, cso_user, title="Only round")
    page = parse(cso.get("/my_inputs"))
    headers = [th.text_content() for th in page.xpath("//table//th")]
    assert headers == ["Title", "Status", "Where it went", "Last change"]
    # On a phone each row becomes a card whose cells carry their column's name.
    assert page.xpath("//table[contains(@class, 'stack')]//td[@data-label='Status']")
    other = factories.make_consultation("second", title="Second round")
    factories.make_input(other, cso_user, title="Other round")
    headers = [th.text_content() for th in parse(cso.get("/my_inputs")).xpath("//table//th")]
    assert "Consultation" in headers


def test_navigation_marks_the_current_page(cso):
    page = parse(cso.get("/my_inputs"))
    current = page.xpath("//nav//a[@aria-current='page']")
    assert [a.text_content() for a in current] == ["Our inputs"]
