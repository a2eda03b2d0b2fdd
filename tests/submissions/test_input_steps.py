"""The steps of a new input: what it is about, the text beside its questions, the review."""

from __future__ import annotations

import io

import lxml.html
from sqlalchemy import select

from consult.extensions import db
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Status
from tests.sample_files import pdf_with_author
from tests.submissions.conftest import count_inputs, new_url, payload, text_url


def parse(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def carried(page: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """The hidden fields of the review page, as the browser posts them back."""
    form = page.xpath("//form[contains(@class, 'input-review')]")[0]
    return [(i.get("name"), i.get("value") or "") for i in form.xpath(".//input[@type='hidden']")]


def as_post(pairs: list[tuple[str, str]], **buttons: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    for name, value in buttons.items():
        data[name] = [value]
    return data


def review_data(**overrides) -> dict:
    data = payload(**overrides)
    data.pop("submit")
    data["review"] = "Review before sending"
    return data


def test_a_new_input_starts_with_its_priority_and_country(cso, consultation):
    page = parse(cso.get(new_url(consultation)))
    form = page.xpath("//main//form")[0]
    assert form.get("method") == "get"
    assert {e.get("name") for e in form.xpath(".//select")} == {"priority", "main_country"}
    assert not page.xpath("//textarea") and not page.xpath("//input[@name='submit']")

    response = cso.get(f"{new_url(consultation)}?priority=&main_country=TN")
    assert response.status_code == 400
    page = parse(response)
    assert "Choose the priority your input is about." in page.xpath(
        "string(//*[@id='priority-error'])"
    )
    assert page.xpath("//select[@name='main_country']//option[@selected]/@value") == ["TN"]
    assert count_inputs() == 0


def test_the_text_step_shows_the_questions_of_the_chosen_priority(cso, consultation):
    page = parse(cso.get(text_url(consultation, priority="ssr")))
    aside = page.get_element_by_id("guiding-questions")
    shown = aside.xpath(".//*[@data-questions-for][not(@hidden)]")
    assert [b.get("data-questions-for") for b in shown] == ["ssr"]
    assert "What works in SSR?" in shown[0].text_content()
    assert page.xpath("//select[@name='priority']/option[@selected]/@value") == ["ssr"]
    assert page.xpath("//select[@name='main_country']//option[@selected]/@value") == ["TN"]
    # The text box comes right after its questions.
    body = page.xpath("//textarea[@name='body']")[0]
    assert body.xpath("preceding::aside[1]/@id") == ["guiding-questions"]


def test_without_javascript_the_questions_follow_a_new_priority_and_nothing_is_lost(
    cso, consultation
):
    data = payload(priority="crisis", body="Half-written thoughts")
    data.pop("submit")
    data["show_questions"] = "Show the questions of this priority"
    response = cso.post(new_url(consultation), data=data)
    assert response.status_code == 200
    page = parse(response)
    aside = page.get_element_by_id("guiding-questions")
    assert [b.get("data-questions-for") for b in aside.xpath("./div[not(@hidden)]")] == ["crisis"]
    assert "What early warning signs?" in aside.xpath("string(./div[not(@hidden)])")
    assert page.xpath("string(//textarea[@name='body'])").strip() == "Half-written thoughts"
    assert not page.xpath("//*[@class='error-summary']")
    # A priority this consultation asks nothing about says so.
    data["priority"] = "cbrn"
    aside = parse(cso.post(new_url(consultation), data=data)).get_element_by_id("guiding-questions")
    assert aside.xpath("./div[not(@hidden)]") == []
    assert aside.xpath("./p[@data-questions-none][not(@hidden)]")
    assert count_inputs() == 0


def test_save_draft_is_the_first_action_and_sending_goes_through_the_review(cso, consultation):
    page = parse(cso.get(text_url(consultation)))
    actions = page.xpath("//div[@class='form-actions']//input[@type='submit']/@name")
    assert actions == ["save_draft", "review"]
    assert not page.xpath("//input[@name='submit']")


def test_the_review_shows_what_is_sent_and_to_whom_and_submit_sends_it_once(cso, consultation):
    response = cso.post(new_url(consultation), data=review_data())
    assert response.status_code == 200
    assert count_inputs() == 0  # nothing sent yet
    page = parse(response)
    assert page.xpath("string(//h1)") == "Check your input before sending"
    assert "It goes to the EU Delegation to Tunisia, which covers Tunisia." in page.xpath(
        "string(//*[@id='review-routing'])"
    )
    text = page.xpath("string(//dl[@class='review-list'])")
    for shown in (
        "Community policing in Kasserine",
        "Joint forums between police and residents reduced tension.",
        "Fund joint community forums.",
        "Publish police complaint statistics.",
        "Tunisia",
        "Lebanon",
    ):
        assert shown in text, shown
    fields = carried(page)
    assert ("body", "Joint forums between police and residents reduced tension.") in fields
    assert ("themes", "youth") in fields and ("other_countries", "LB") in fields

    send = as_post(fields, submit="Submit input")
    assert cso.post(new_url(consultation), data=send).status_code == 302
    assert cso.post(new_url(consultation), data=send).status_code == 302  # a double press
    assert count_inputs() == 1
    item = db.session.scalar(select(Input))
    assert item.status == Status.SUBMITTED and item.country_codes == ["TN", "LB"]
    assert item.body == "Joint forums between police and residents reduced tension."


def test_hq_direct_is_named_as_the_receiver(cso, consultation):
    page = parse(cso.post(new_url(consultation), data=review_data(hq_direct="y")))
    assert "It goes directly to EU headquarters" in page.xpath("string(//*[@id='review-routing'])")


def test_review_of_an_incomplete_input_shows_the_form_with_its_errors(cso, consultation):
    response = cso.post(new_url(consultation), data=review_data(level="", title="Kept title"))
    assert response.status_code == 400
    page = parse(response)
    assert "Choose a level." in page.xpath("string(//*[@class='error-summary'])")
    assert page.xpath("//input[@name='title']/@value") == ["Kept title"]
    assert count_inputs() == 0


def test_edit_brings_everything_back_files_included(cso, consultation):
    data = review_data()
    data["attachments"] = (io.BytesIO(pdf_with_author()), "minutes.pdf")
    page = parse(cso.post(new_url(consultation), data=data, content_type="multipart/form-data"))
    assert "minutes.pdf" in page.xpath("string(//dl[@class='review-list'])")

    response = cso.post(new_url(consultation), data=as_post(carried(page), edit="title"))
    assert response.status_code == 200
    form = parse(response)
    assert form.xpath("//input[@name='title']/@value") == ["Community policing in Kasserine"]
    assert form.xpath("string(//textarea[@name='recommendations-1-text'])").strip() == (
        "Publish police complaint statistics."
    )
    assert "minutes.pdf" in form.xpath("string(//fieldset[@id='files'])")
    assert count_inputs() == 0

    assert (
        cso.post(
            new_url(consultation), data=as_post(carried(page), submit="Submit input")
        ).status_code
        == 302
    )
    item = db.session.scalar(select(Input))
    assert [a.filename for a in db.session.scalars(select(Attachment))] == ["minutes.pdf"]
    assert item.attachments[0].filename == "minutes.pdf"
