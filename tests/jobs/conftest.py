"""Fixtures of the job tests: the digest tests' inputs, and a second HQ analyst."""

from __future__ import annotations

import pytest

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
