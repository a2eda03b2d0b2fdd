"""Fixtures of the job tests: the digest tests' inputs, a second HQ analyst, a real worker."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from consult.extensions import db
from consult.filestore import JOBS, store
from tests import factories
from tests.digest.conftest import build_digest_data, publish_release


@pytest.fixture
def data(app):
    """Forwarded inputs of several organisations, the first release published."""
    built = build_digest_data()
    publish_release()
    return built


@pytest.fixture
def other_hq_user(app):
    return factories.make_user("second.analyst@eeas.example.org", "hq")


@pytest.fixture
def big(app):
    """Every digest of more than one input is made by a job."""
    app.config["JOB_THRESHOLD_INPUTS"] = 1
    return app


REDIS = os.environ.get("TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued(app):
    """The app with a queue of its own on the test Redis (other runs use other names)."""
    app.config.update(JOBS_REDIS_URL=REDIS, JOBS_QUEUE=f"consult-test-{uuid.uuid4().hex[:8]}")
    yield app
    from consult.jobs.queue import redis_connection, rq_queue

    rq_queue().delete(delete_jobs=True)
    redis_connection().close()


def run_worker(app, **extra_env: str) -> subprocess.CompletedProcess:
    """Work the queue until it is empty, as production's worker would, in another process."""
    config = app.config
    env = {
        **os.environ,
        "FLASK_APP": "consult",
        "CONSULT_ENV": "development",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "CONSULT_INSTANCE_DIR": config["INSTANCE_DIR"],
        "CONSULT_JOB_FILES_DIR": str(store().folder(JOBS)) if not store().shared else "",
        "CONSULT_STORAGE": config["STORAGE_BACKEND"],
        "CONSULT_UPLOAD_DIR": config["UPLOAD_DIR"],
        "CONSULT_JOBS_REDIS_URL": config["JOBS_REDIS_URL"],
        "CONSULT_JOBS_QUEUE": config["JOBS_QUEUE"],
        "SECRET_KEY": config["SECRET_KEY"],
        "DIGEST_REFERENCE_KEY": config["DIGEST_REFERENCE_KEY"],
        "TOTP_ENCRYPTION_KEYS": config["TOTP_ENCRYPTION_KEYS"],
        **extra_env,
    }
    db.session.remove()  # the worker writes: SQLite must not find this test holding a lock
    flask = str(Path(sys.executable).with_name("flask"))
    done = subprocess.run(
        [flask, "jobs", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done
