"""The demo data gives every role something to work on, including the HQ queue."""

from __future__ import annotations

from consult.auth.models import user_by_email
from consult.cli.demo_inputs import seed_demo_inputs
from consult.extensions import db
from tests.factories import login


def test_demo_hq_queue_holds_a_syria_input_and_an_hq_direct_one(app):
    seed_demo_inputs()
    db.session.commit()

    hq = login(app.test_client(), user_by_email("hq@consult.example.org"))
    page = hq.get("/review/queue").get_data(as_text=True)
    assert "Detentions at checkpoints in the south" in page  # no delegation covers Syria
    assert "Pressure on our researchers after the smuggling report" in page  # HQ-direct
    assert "2 inputs match, oldest first." in page

    # The delegation of the HQ-direct input's country never sees it.
    moderator = login(app.test_client(), user_by_email("moderator.ua@consult.example.org"))
    page = moderator.get("/review/queue?status=all").get_data(as_text=True)
    assert "Blocking of websites" in page  # the delegation's own work is there
    assert "Pressure on our researchers" not in page
