"""The input form: fields, validation that loses nothing, submit, routing, idempotency."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from consult.extensions import db
from consult.inputs.events import ReviewEvent
from consult.inputs.models import Attachment, Input
from consult.inputs.states import Attribution, RoutedTo, Status
from tests import factories
from tests.sample_files import HTML_AS_PDF, jpeg_with_gps
from tests.submissions.conftest import TOKEN, UPLOAD_KEY, count_inputs, new_url, payload, text_url

# ---------------------------------------------------------------- 2. the form itself


def test_form_shows_every_field_with_limits_and_explanations(cso, consultation):
    page = cso.get(text_url(consultation)).get_data(as_text=True)
    for label in (
        "Priority",
        "Main country",
        "Other countries this input is about",
        "Level",
        "Type of input",
        "Title",
        "Your input",
        "Recommendation 1",
        "Addressed to",
        "Themes",
        "Language of your input",
        "May reports name your organisation?",
        "Send directly to EU headquarters (HQ-direct)",
        "Attach files",
    ):
        assert label in page, label
    assert "At most 200 characters." in page
    assert "At most 20000 characters." in page
    assert "At most 2000 characters." in page
    # Attribution: three choices, each explained, non-attributable preselected.
    assert re.search(
        r'value="non-attributable"[^>]*checked|checked[^>]*value="non-attributable"', page
    )
    assert "your organisation is never named" in page
    assert "Reports may name your organisation" in page
    assert "it never appears in a report meant to leave the EU institutions" in page
    assert "delegation staff never see your organisation" in page
    assert 'name="form_token"' in page and 'name="upload_key"' in page
    assert "What works in SSR?" in page  # guiding questions at hand


def test_countries_limited_to_scope_and_grouped_by_region(cso, app):
    consultation = factories.make_consultation("scoped", countries=["TN", "LB", "UA"])
    page = cso.get(text_url(consultation)).get_data(as_text=True)
    assert '<optgroup label="South">' in page and '<optgroup label="East">' in page
    assert "Tunisia" in page and "Ukraine" in page and "Lebanon" in page
    assert ">Morocco<" not in page and ">Georgia<" not in page
    # A country outside the scope is refused even when posted by hand.
    response = cso.post(new_url(consultation), data=payload(main_country="MA"))
    assert response.status_code == 400
    assert count_inputs() == 0


def test_add_another_recommendation_rerenders_with_an_extra_row(cso, consultation):
    data = payload(add_recommendation="Add another recommendation")
    data.pop("submit")
    response = cso.post(new_url(consultation), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="recommendations-2-text"' in page
    assert "Publish police complaint statistics." in page
    assert "Community policing in Kasserine" in page
    assert "Please correct" not in page
    assert count_inputs() == 0


# ---------------------------------------------------------------- 3. validation loses nothing


def test_failed_validation_keeps_every_value_and_the_accepted_attachment(cso, consultation):
    long_title = "T" * 201
    data = payload(title=long_title, level="", other_countries=["LB", "DZ"], hq_direct="y")
    data["attribution"] = "attributable"
    data["attachments"] = (io.BytesIO(jpeg_with_gps()), "site-photo.jpg")
    response = cso.post(new_url(consultation), data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # Errors in the summary and next to the fields.
    assert "Please correct the following" in page
    assert page.count("Choose a level.") == 2
    assert page.count("Field cannot be longer than 200 characters.") == 2
    # Every typed value is back.
    assert long_title in page
    assert "Joint forums between police and residents reduced tension." in page
    assert "Fund joint community forums." in page
    assert "Publish police complaint statistics." in page
    assert re.search(r'<option selected value="TN">|<option value="TN" selected', page)
    assert re.search(r'value="LB"\s+checked', page) and re.search(r'value="DZ"\s+checked', page)
    assert re.search(r'value="community-security"\s+checked', page)
    assert re.search(r'checked[^>]*value="attributable"|value="attributable"[^>]*checked', page)
    assert re.search(r'id="hq_direct"[^>]*checked|checked[^>]*id="hq_direct"', page)
    assert f'value="{TOKEN}"' in page and f'value="{UPLOAD_KEY}"' in page
    # The accepted file is listed and kept, pending, under the form's upload key.
    assert "site-photo.jpg" in page
    pending = db.session.scalars(select(Attachment)).all()
    assert len(pending) == 1 and pending[0].upload_key == UPLOAD_KEY and pending[0].input_id is None
    assert count_inputs() == 0

    # Correcting the form and sending it again (without the file) keeps the file.
    response = cso.post(new_url(consultation), data=payload(title="Fixed title"))
    assert response.status_code == 302
    item = db.session.scalar(select(Input))
    assert [a.filename for a in item.attachments] == ["site-photo.jpg"]


def test_refused_attachment_is_an_error_on_the_form_and_text_stays(cso, consultation):
    data = payload()
    data["attachments"] = (io.BytesIO(HTML_AS_PDF), "report.pdf")
    response = cso.post(new_url(consultation), data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "report.pdf: This file type is not accepted" in page
    assert "Community policing in Kasserine" in page
    assert count_inputs() == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_submit_needs_the_required_fields_but_shows_them_all(cso, consultation):
    response = cso.post(new_url(consultation), data={"submit": "Submit input"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in (
        "Choose the priority your input is about.",
        "Choose at least one country.",
        "Choose a level.",
        "Choose the type of input.",
        "Give your input a title.",
        "Write your input.",
        "Write at least one recommendation.",
    ):
        assert message in page, message


# ---------------------------------------------------------------- 6. submit and routing


def test_submit_creates_a_routed_input_and_says_where_it_went(cso, consultation, cso_user):
    response = cso.post(new_url(consultation), data=payload(), follow_redirects=True)
    page = response.get_data(as_text=True)
    item = db.session.scalar(select(Input))
    assert item.status == Status.SUBMITTED
    assert item.country_codes == ["TN", "LB"]
    assert item.routed_to == RoutedTo.DELEGATION and item.delegation_slug == "eud-tn"
    assert [(r.addressee_slug, r.text) for r in item.recommendations] == [
        ("eu", "Fund joint community forums."),
        ("partner-government", "Publish police complaint statistics."),
    ]
    assert sorted(t.slug for t in item.themes) == ["community-security", "youth"]
    assert item.attribution == Attribution.NON_ATTRIBUTABLE
    assert item.submitter_ip is None
    assert item.idempotency_key == TOKEN
    assert "Your input is submitted." in page
    assert "Sent to the EU Delegation to Tunisia, which covers Tunisia." in page
    assert "Moderator" not in page
    events = db.session.scalars(select(ReviewEvent)).all()
    assert [(e.kind, e.is_visible_to_cso) for e in events] == [("submitted", True)]


def test_country_without_delegation_goes_to_hq(cso, consultation):
    response = cso.post(
        new_url(consultation), data=payload(main_country="SY", other_countries=["TN"])
    )
    assert response.status_code == 302
    item = db.session.scalar(select(Input))
    assert item.routed_to == RoutedTo.HQ and item.delegation_slug is None
    page = cso.get(f"/inputs/{item.id}").get_data(as_text=True)
    assert "because no EU Delegation covers Syria" in page


def test_hq_direct_goes_to_hq(cso, consultation):
    cso.post(new_url(consultation), data=payload(hq_direct="y"))
    item = db.session.scalar(select(Input))
    assert item.is_hq_direct and item.routed_to == RoutedTo.HQ


def test_double_submit_makes_one_input(cso, consultation):
    first = cso.post(new_url(consultation), data=payload())
    second = cso.post(new_url(consultation), data=payload())
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count_inputs() == 1
    assert db.session.scalar(select(func.count()).select_from(ReviewEvent)) == 1


def test_double_submit_with_the_same_file_keeps_it_once(cso, consultation):
    photo = jpeg_with_gps()
    for _ in range(2):
        data = payload()
        data["attachments"] = (io.BytesIO(photo), "photo.jpg")
        cso.post(new_url(consultation), data=data, content_type="multipart/form-data")
    assert count_inputs() == 1
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_submitter_ip_kept_only_when_configured(make_app, consultation, cso_user):
    app = make_app(KEEP_CSO_IP=True)
    client = app.test_client()
    factories.login(client, cso_user)
    with app.app_context():
        client.post(new_url(consultation), data=payload(), environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert db.session.scalar(select(Input.submitter_ip)) == "10.1.2.3"


# ---------------------------------------------------------------- 9. unverified organisations


def test_unverified_organisation_can_draft_but_not_submit(client, app, consultation, login):
    org = factories.make_organisation("Caucasus Youth Dialogue", ["GE"], verified=False)
    user = factories.make_user("nino@cyd.example.org", "cso", organisation=org)
    login(client, user)
    page = client.get(text_url(consultation)).get_data(as_text=True)
    assert "not verified yet" in page and "An administrator of this platform verifies" in page
    assert 'name="submit"' not in page
    response = client.post(
        new_url(consultation), data=payload(main_country="GE", other_countries=[])
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not verified yet" in page
    assert "Community policing in Kasserine" in page
    assert count_inputs() == 0
    data = payload(main_country="GE", other_countries=[])
    data.pop("submit")
    data["save_draft"] = "Save as draft"
    assert client.post(new_url(consultation), data=data).status_code == 302
    assert db.session.scalar(select(Input.status)) == Status.DRAFT


def test_unverified_message_names_the_admin_contact(make_app, consultation):
    app = make_app(ADMIN_CONTACT_EMAIL="verify@consult.example.org")
    with app.app_context():
        org = factories.make_organisation("Unverified Org", ["GE"], verified=False)
        user = factories.make_user("u@unverified.example.org", "cso", organisation=org)
        client = factories.login(app.test_client(), user)
        page = client.get(text_url(consultation)).get_data(as_text=True)
    assert "Write to verify@consult.example.org to ask for verification." in page
