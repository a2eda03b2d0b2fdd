"""The registered names, read from the database once per change, not once per request.

Every page or decision that looks for identifiers needs the names, acronyms
and emails of every registered organisation and user. Reading them is a full
read of both tables, and building the detector for them is a pass over
every name: at 10,000 organisations, most of a review decision's time.

``registry_version`` holds one number that database triggers replace with a
fresh random one whenever an organisation or a user is added or removed, or
one of the watched columns changes, in the same transaction as the change.
Every writer is covered (the ORM, a bulk ``COPY``, a purge). A process keeps
the names it read last, per database, with the number it read *before* them;
while the number is the same, one small statement answers. The number is
random rather than counted so that a rolled-back change can never hand its
number to a later, different change.

A table rebuilt by a SQLite batch migration loses its triggers: such a
migration must call :func:`install_triggers` again.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import BigInteger, Integer, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.identifiers import KnownIdentifiers, known_from_organisations

# The columns whose change changes the registered names.
WATCHED = {
    "organisations": ("name", "acronym", "contact_email"),
    "users": ("email", "full_name"),
}


class RegistryVersion(db.Model):
    """One row: a number that changes whenever the registered names may have changed."""

    __tablename__ = "registry_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


def _postgresql_ddl() -> list[str]:
    ddl = [
        "CREATE OR REPLACE FUNCTION registry_version_bump() RETURNS trigger AS $$\n"
        "BEGIN\n"
        "    UPDATE registry_version SET n = floor(random() * 9e18)::bigint WHERE id = 1;\n"
        "    RETURN NULL;\n"
        "END\n"
        "$$ LANGUAGE plpgsql",
    ]
    for table, columns in WATCHED.items():
        name = f"{table}_registry_version"
        ddl += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            # Once per statement: a bulk COPY of 20,000 users bumps it once.
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION registry_version_bump()",
        ]
    return ddl


def _sqlite_ddl() -> list[str]:
    bump = "UPDATE registry_version SET n = random() WHERE id = 1;"
    ddl = []
    for table, columns in WATCHED.items():
        for operation in ("INSERT", "DELETE", f"UPDATE OF {', '.join(columns)}"):
            name = f"{table}_registry_version_{operation.split()[0].lower()}"
            ddl += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} BEGIN {bump} END",
            ]
    return ddl


def install_triggers(connection: Connection) -> None:
    """Create (or replace) the triggers, and the row they change when it is missing."""
    ddl = _postgresql_ddl() if connection.dialect.name == "postgresql" else _sqlite_ddl()
    for statement in ddl:
        connection.exec_driver_sql(statement)
    ensure_version_row(connection)


def ensure_version_row(connection: Connection) -> None:
    """Add the one row, with a random number, when it is missing (a new or emptied table)."""
    if connection.execute(select(RegistryVersion.id)).first() is None:
        number = secrets.randbelow(2**62)
        connection.execute(RegistryVersion.__table__.insert().values(id=1, n=number))


@event.listens_for(db.metadata, "after_create")
def _triggers_with_the_schema(_metadata: Any, connection: Connection, **_kw: Any) -> None:
    """``create_all`` (tests, ``make run``'s first start) gets the triggers and the row too."""
    install_triggers(connection)


# Per database: (the version read before the names, the names with their detector).
_LAST: dict[str, tuple[int, KnownIdentifiers]] = {}


def _read_names() -> KnownIdentifiers:
    from consult.auth.models import User
    from consult.organisations.models import Organisation

    values = known_from_organisations(
        db.session.execute(
            select(Organisation.name, Organisation.acronym, Organisation.contact_email)
        )
    )
    for email, full_name in db.session.execute(select(User.email, User.full_name)):
        values.append(email)
        if full_name and len(full_name.split()) >= 2:
            values.append(full_name)
    return KnownIdentifiers(v for v in values if v)


def known_identifiers() -> KnownIdentifiers:
    """Names, acronyms and emails of every registered organisation and user.

    Read again only when ``registry_version`` says they may have changed. The
    number is read first: a change committed between the two reads leaves the
    newer names under the older number, never older names under a newer one.
    """
    version = db.session.scalar(select(RegistryVersion.n).where(RegistryVersion.id == 1))
    database = db.engine.url.render_as_string(hide_password=True)
    last = _LAST.get(database)
    if version is not None and last is not None and last[0] == version:
        return last[1]
    names = _read_names()
    if version is not None:
        _LAST[database] = (version, names)
    return names
