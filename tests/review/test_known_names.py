"""The registered names are read again only when the database says they changed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, update

from consult.auth.models import User
from consult.extensions import db
from consult.identifiers import known_identifiers
from consult.identifiers.known import RegistryVersion
from consult.organisations.models import Organisation
from tests import factories


def _statements(call: Callable[[], object]) -> tuple[object, list[str]]:
    """What ``call`` returns, and the statements it ran."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        return call(), seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_names_are_read_once_and_again_after_each_change(app, organisation, cso_user):
    first = known_identifiers()
    assert organisation.name in first and cso_user.email in first
    again, seen = _statements(known_identifiers)
    assert again is first  # the same list, and the same compiled detector
    assert len(seen) == 1 and "registry_version" in seen[0]  # one small statement

    renamed = "Coastal Women's Rights Collective"
    organisation.name = renamed
    db.session.commit()
    names = known_identifiers()
    assert renamed in names and names is not first

    added = factories.make_user("layla.haddad@example.org", "cso", organisation=organisation)
    assert added.email in known_identifiers()

    # A bulk statement (as a purge or generate-load writes) is seen too.
    db.session.execute(update(User).where(User.id == added.id).values(full_name="Layla Haddad"))
    db.session.commit()
    assert "Layla Haddad" in known_identifiers()
    db.session.delete(added)
    db.session.commit()
    names = known_identifiers()
    assert added.email not in names and "Layla Haddad" not in names


def test_a_rolled_back_change_never_leaves_its_names_behind(app, organisation):
    before = db.session.scalar(db.select(RegistryVersion.n))
    db.session.add(
        Organisation(name="Never Registered Association", contact_email="x@never.example.org")
    )
    db.session.flush()
    assert "Never Registered Association" in known_identifiers()  # seen inside the transaction
    db.session.rollback()
    assert db.session.scalar(db.select(RegistryVersion.n)) == before
    assert "Never Registered Association" not in known_identifiers()


def test_other_columns_do_not_throw_the_names_away(app, organisation, cso_user):
    first = known_identifiers()
    cso_user.time_zone = "Africa/Tunis"
    db.session.commit()
    assert known_identifiers() is first
