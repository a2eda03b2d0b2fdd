"""Publishing a release runs the same SQL statements however many inputs it holds.

It read the inputs' countries, then their texts, one statement per 500 inputs
(bench B8: 38 s at 10,000 inputs, 175 s at 100,000). The inputs and their
countries are now one statement, their texts one streamed statement, and the
rows one ``COPY`` on PostgreSQL. Speed is measured in bench/ (B8); this test
holds the statement count, with the batch of ids made 1 so that any read per
batch would show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import event

from consult.digest.releases import publishing
from consult.digest.releases.publishing import create_release
from consult.extensions import db
from consult.identifiers import known_identifiers
from consult.inputs.states import Status
from tests import factories

LATER = datetime(2026, 7, 5)  # the test data is forwarded in March to May 2026


def _statements(publish: Callable[[], object]) -> list[str]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        publish()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


def _publish() -> list[str]:
    known_identifiers()  # the registered names, read once per change, are read before both
    statements = _statements(lambda: create_release("enp-2026", None, now=LATER))
    db.session.rollback()
    return statements


def test_a_release_takes_the_same_statements_whatever_its_size(app, make_digest_data, monkeypatch):
    monkeypatch.setattr(publishing, "BATCH", 1)
    data = make_digest_data()
    few = _publish()
    # The same organisations: the members told of the release stay the same.
    author = data.inputs["hidden"].author
    for number in range(6):
        item = factories.make_input(
            data.consultation,
            author,
            status=Status.FORWARDED,
            title=f"More input {number}",
            countries=["TN", "MA"] if number % 2 else ["TN"],
            recommendations=(("eu", f"Recommendation {number}."),),
        )
        item.forwarded_at = datetime(2026, 4, 10 + number, 9, 0)
    db.session.commit()
    many = _publish()
    assert len(many) == len(few), "\n\n".join(s.split("\n")[0] + " ..." for s in many)


def test_the_participants_are_found_in_one_read_however_many_organisations(app, make_digest_data):
    data = make_digest_data()
    for number in range(3):
        newcomer = factories.make_organisation(f"Newcomers {number}", ["TN"])
        author = factories.make_user(
            f"n{number}@newcomers.example.org", "cso", organisation=newcomer
        )
        item = factories.make_input(
            data.consultation, author, status=Status.FORWARDED, title=f"Newcomer input {number}"
        )
        item.forwarded_at = datetime(2026, 4, 10 + number, 9, 0)
    db.session.commit()
    statements = _publish()
    reads = [s for s in statements if s.lstrip().startswith("SELECT users.id")]
    assert len(reads) == 1, reads  # was one read per organisation (10,000 at 1M inputs)
