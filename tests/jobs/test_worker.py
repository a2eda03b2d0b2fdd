"""A real RQ worker (``flask jobs worker --burst``, another process) against the real Redis."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.jobs.models import Job, JobState
from tests.jobs.conftest import REDIS, run_worker

pytestmark = pytest.mark.skipif(
    not REDIS, reason="set TEST_REDIS_URL=redis://127.0.0.1:6379/0 (make test does when it answers)"
)


def test_a_worker_makes_the_file_that_the_page_then_offers(queued, data, client, login, hq_user):
    queued.config["JOB_THRESHOLD_INPUTS"] = 1
    login(client, hq_user)
    response = client.get("/digest/download/csv?audience=internal")
    assert response.status_code == 302
    page_url = response.headers["Location"]
    waiting = client.get(page_url).get_data(as_text=True)
    assert "Waiting for a worker to start this job." in waiting
    assert '<noscript><meta http-equiv="refresh"' in waiting

    run_worker(queued)

    job = db.session.scalars(select(Job)).one()
    assert job.state == JobState.DONE, job.error
    page = client.get(page_url).get_data(as_text=True)
    assert "Done. The file holds" in page and 'http-equiv="refresh"' not in page
    file = client.get(re.search(r'href="(/jobs/[0-9a-f-]+/file)"', page).group(1))
    assert file.status_code == 200 and file.mimetype == "text/csv"
    assert len(file.get_data(as_text=True).splitlines()) > 1

    from consult.jobs.queue import PROGRESS_KEY, redis_connection

    progress = json.loads(redis_connection().get(PROGRESS_KEY.format(job.id.hex)))
    assert progress["total"] == job.result["count"] == progress["done"]


def test_a_worker_publishes_a_release(queued, client, login, hq_user):
    from tests.digest.conftest import build_digest_data

    build_digest_data()
    login(client, hq_user)
    response = client.post("/digest/releases", data={"consultation": "enp-2026", "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/jobs/")
    run_worker(queued)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Release 1 of enp-2026 is published" in page
    assert 'href="/digest/?audience=external&amp;consultation=enp-2026&amp;release=1"' in page


def test_a_job_whose_worker_vanished_is_marked_failed(queued, data, client, login, hq_user):
    queued.config["JOB_THRESHOLD_INPUTS"] = 1
    login(client, hq_user)
    page_url = client.get("/digest/download/json").headers["Location"]
    from consult.jobs.queue import rq_queue

    rq_queue().delete(delete_jobs=True)  # as if Redis lost it, or its worker was killed
    page = client.get(page_url).get_data(as_text=True)
    assert "The job did not finish" in page
    assert db.session.scalars(select(Job)).one().state == JobState.FAILED


def test_asking_twice_while_the_job_waits_gives_the_same_job(queued, data, client, login, hq_user):
    queued.config["JOB_THRESHOLD_INPUTS"] = 1
    login(client, hq_user)
    first = client.get("/digest/download/xlsx").headers["Location"]
    again = client.get("/digest/download/xlsx").headers["Location"]
    other = client.get("/digest/download/json").headers["Location"]
    assert first == again != other
    assert len(db.session.scalars(select(Job)).all()) == 2


def test_through_the_api_a_release_is_published_by_the_worker(queued, hq_user, api_client):
    from tests.digest.conftest import build_digest_data

    build_digest_data()
    api = api_client(queued, hq_user)
    accepted = api.post("/releases", json={"consultation": "enp-2026"})
    assert accepted.status_code == 202
    job_url = accepted.headers["Location"].removeprefix("/api/v1")
    assert api.get(job_url).get_json()["state"] == "queued"
    assert api.get("/releases").get_json() == {"items": []}

    run_worker(queued)

    job = api.get(job_url).get_json()
    assert job["state"] == "done", job["error"]
    assert job["result"]["number"] == 1 and job["file"] is None
    assert [r["number"] for r in api.get("/releases").get_json()["items"]] == [1]


def test_through_the_api_a_refused_release_is_answered_at_once(queued, hq_user, api_client):
    from tests.digest.conftest import build_digest_data

    build_digest_data()
    api = api_client(queued, hq_user)
    for body, words in (
        ({"consultation": "enp-2026", "period": "2099-01"}, "is not over yet"),
        ({"consultation": "enp-2026", "period": "2025-01"}, "nothing to publish"),
        ({"consultation": "nope"}, "enp-2026"),
    ):
        refused = api.post("/releases", json=body)
        assert refused.status_code == 422, body
        error = refused.get_json()["error"]
        assert error["code"] == "release_refused" and words in error["message"]
    assert db.session.scalars(select(Job)).all() == []  # nothing was queued
    assert api.get("/releases").get_json() == {"items": []}


def test_through_the_api_a_big_digest_is_made_by_the_worker(queued, data, hq_user, api_client):
    queued.config["JOB_THRESHOLD_INPUTS"] = 1
    api = api_client(queued, hq_user)
    accepted = api.get("/digest?format=json&audience=internal")
    assert accepted.status_code == 202 and accepted.get_json()["file"] is None
    run_worker(queued)
    job = api.get(accepted.headers["Location"].removeprefix("/api/v1")).get_json()
    assert job["state"] == "done" and job["progress"]["done"] == job["result"]["count"]
    file = api.get(job["file"]["url"].removeprefix("/api/v1"))
    assert file.status_code == 200
    assert len(file.get_json()["inputs"]) == job["result"]["count"]
