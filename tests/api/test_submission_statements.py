"""One API submission runs a fixed, small number of SQL statements.

Before this was counted, a submission ran 34 statements with two themes and
two recommendations: each theme and addressee looked up one by one (twice for
the themes), the idempotency key looked up twice, and the input written with
an INSERT and three UPDATEs because of early flushes. Speed is measured in
bench/ (B1); this test holds the statement count.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from sqlalchemy import event, func, select

from consult.extensions import db
from consult.inputs.models import Input
from tests.api.test_api_inputs import form

#: token, user, consultation (+ its texts), the key, the organisation; priority,
#: level, type, the consultation's countries, themes, addressees (validation);
#: savepoint, the themes to link, the moderators to notify; the input, its
#: countries, themes, recommendation and event; release, audit row; the
#: answer's attachments.
STATEMENTS = 23


def _statements_of_request(send) -> tuple[int, Any]:  # noqa: ANN001
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        # SQLite's BEGIN IMMEDIATE opens the transaction, as PostgreSQL's driver does unseen.
        if has_request_context() and not statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = send()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), response


def test_a_submission_takes_the_same_statements_whatever_its_themes_and_countries(
    app, cso_user, consultation, api_client
):
    api = api_client(app, cso_user)
    # The token's first use is recorded (once a minute): not part of a submission.
    assert api.get("/consultations").status_code == 200
    small, first = _statements_of_request(
        lambda: api.post("/inputs", json=form(consultation), headers={"Idempotency-Key": "a-1"})
    )
    rich = form(
        consultation,
        themes=["community-security", "oversight", "gender"],
        countries=["TN", "MA"],
    )
    large, second = _statements_of_request(
        lambda: api.post("/inputs", json=rich, headers={"Idempotency-Key": "a-2"})
    )
    assert first.status_code == second.status_code == 201
    assert len(second.get_json()["themes"]) == 3
    assert small == large == STATEMENTS
    assert db.session.scalar(select(func.count()).select_from(Input)) == 2
    assert second.get_json()["countries"] == ["TN", "MA"]
