"""SQLite serves concurrent requests: WAL, a busy timeout, and no "database is locked"."""

from __future__ import annotations

import threading

from sqlalchemy import text

from consult import create_app
from consult.extensions import db

WRITERS = 8
ROWS_EACH = 25


def _sqlite_app(tmp_path):
    return create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite'}",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )


def test_a_sqlite_file_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = _sqlite_app(tmp_path)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_eight_concurrent_writers_and_a_reader_never_see_database_is_locked(tmp_path):
    app = _sqlite_app(tmp_path)
    errors: list[BaseException] = []
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE hits (writer INTEGER, n INTEGER)"))

        def write(number: int) -> None:
            try:
                for n in range(ROWS_EACH):
                    with engine.begin() as conn:
                        conn.execute(
                            text("INSERT INTO hits VALUES (:w, :n)"), {"w": number, "n": n}
                        )
                        conn.execute(text("SELECT count(*) FROM hits")).scalar()
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        # A long write transaction is open while the others start: they wait, not fail.
        with engine.connect() as holder:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            holder.exec_driver_sql("INSERT INTO hits VALUES (-1, -1)")
            threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
            for thread in threads:
                thread.start()
            # WAL: a reader sees the committed rows while the writer holds its lock.
            with engine.connect() as reader:
                assert reader.execute(text("SELECT count(*) FROM hits")).scalar() == 0
            holder.exec_driver_sql("COMMIT")
        for thread in threads:
            thread.join()
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM hits")).scalar()
        engine.dispose()
    assert errors == []
    assert total == WRITERS * ROWS_EACH + 1
