"""The benchmark's databases: one per size, built once with generate-load and reused.

PostgreSQL when ``TEST_DATABASE_URL`` or ``DATABASE_URL`` names one (a database
``consult_bench_<size>`` on that server, or ``<BENCH_DB_PREFIX>_<size>`` so that
two checkouts can measure side by side), SQLite files under instance/bench/
otherwise. A database is reused when it holds exactly the size asked for at
the newest migration; ``--rebuild`` starts afresh.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from config import database_url
from consult import create_app
from consult.extensions import db

ROOT = Path(__file__).resolve().parent.parent
SQLITE_DIR = ROOT / "instance" / "bench"
SLUG = "generated-load"


def server_url() -> str | None:
    """The PostgreSQL server to build on, if the environment names one."""
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgres://", "postgresql")):
            return database_url(value)
    return None


@dataclass
class BenchDatabase:
    size: int
    url: str
    built_in: float | None  # seconds, None when reused


def app_for(url: str):
    return create_app(
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            "UPLOAD_DIR": str(SQLITE_DIR / "uploads"),
        }
    )


def _holds(url: str, size: int) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from consult.inputs.models import Input

    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() != head:
                return False
            return conn.execute(select(func.count(Input.id))).scalar() == size
    except Exception:  # noqa: BLE001 - any failure means: build it again
        return False
    finally:
        engine.dispose()


def _name(size: int) -> str:
    """The database's name: the prefix keeps two checkouts' databases apart."""
    return f"{os.environ.get('BENCH_DB_PREFIX') or 'consult_bench'}_{size}"


def _fresh(size: int) -> str:
    server = server_url()
    if server is None:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        path = SQLITE_DIR / f"bench-{size}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = _name(size)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _url(size: int) -> str:
    server = server_url()
    if server is None:
        return f"sqlite:///{SQLITE_DIR / f'bench-{size}.sqlite'}"
    name = _name(size)
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def ensure(size: int, *, rebuild: bool = False, seed: int = 2026) -> BenchDatabase:
    """A database holding ``size`` generated inputs (built when missing)."""
    from flask_migrate import upgrade

    from consult.cli.load import generate_load

    url = _url(size)
    if not rebuild and _holds(url, size):
        return BenchDatabase(size, url, None)
    url = _fresh(size)
    app = app_for(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        generate_load(size, seed=seed, consultation=SLUG)
        if db.engine.dialect.name == "postgresql":
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return BenchDatabase(size, url, time.perf_counter() - started)
