"""Long work through the API: 202 with a job, the job followed, its file fetched."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.jobs.models import Job, JobState
from consult.timeutil import utcnow


def test_a_small_digest_is_streamed_at_once(data, app, hq_user, api_client):
    response = api_client(app, hq_user).get("/digest?format=csv&audience=internal")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert db.session.scalars(select(Job)).all() == []


def test_a_big_digest_answers_202_with_a_job_whose_file_is_the_digest(
    big, data, hq_user, api_client
):
    api = api_client(big, hq_user)
    accepted = api.get("/digest?format=csv&audience=internal&priority=ssr")
    assert accepted.status_code == 202
    job = accepted.get_json()
    assert accepted.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    # Without a queue the job ran in this request: it is done already.
    assert job["state"] == "done" and job["kind"] == "digest.file"
    assert job["result"] == {"count": 4} and job["error"] is None
    assert job["summary"] == "The file holds 4 inputs."

    followed = api.get(f"/jobs/{job['id']}").get_json()
    assert followed["file"]["url"] == f"/api/v1/jobs/{job['id']}/file"
    file = api.get(f"/jobs/{job['id']}/file")
    assert file.status_code == 200 and file.mimetype == "text/csv"
    assert "attachment" in file.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(file.get_data(as_text=True))))
    big.config["JOB_THRESHOLD_INPUTS"] = 1000
    direct = api.get("/digest?format=csv&audience=internal&priority=ssr").get_data(as_text=True)
    assert list(csv.reader(io.StringIO(direct))) == rows and len(rows) == 1 + 4


def test_the_job_speaks_the_callers_language(big, data, hq_user, api_client):
    api = api_client(big, hq_user)
    job = api.get(
        "/digest?format=json&audience=internal&priority=ssr", headers={"Accept-Language": "fr"}
    )
    assert job.status_code == 202
    assert job.get_json()["summary"] == "Le fichier contient 4 contributions."


def test_a_bad_request_is_refused_before_any_job(big, data, hq_user, api_client):
    api = api_client(big, hq_user)
    assert api.get("/digest?format=xlsx&part=recommendations").status_code == 400
    assert api.get("/digest?format=csv&priority=nope").status_code == 400
    assert db.session.scalars(select(Job)).all() == []


def test_another_persons_job_is_not_found(big, data, hq_user, cso_user, api_client):
    job_id = api_client(big, hq_user).get("/digest?format=csv").get_json()["id"]
    cso = api_client(big, cso_user)
    assert cso.get(f"/jobs/{job_id}").status_code == 404
    assert cso.get(f"/jobs/{job_id}/file").status_code == 404
    assert api_client(big, hq_user).get("/jobs/not-a-uuid").status_code == 404


def test_another_hq_analyst_may_fetch_the_digest_file(
    big, data, hq_user, other_hq_user, api_client
):
    job_id = api_client(big, hq_user).get("/digest?format=csv").get_json()["id"]
    assert api_client(big, other_hq_user).get(f"/jobs/{job_id}/file").status_code == 200


def test_an_expired_file_is_gone(big, data, hq_user, api_client):
    api = api_client(big, hq_user)
    job_id = api.get("/digest?format=csv").get_json()["id"]
    job = db.session.get(Job, uuid.UUID(job_id))
    job.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    gone = api.get(f"/jobs/{job_id}/file")
    assert gone.status_code == 410
    assert "start the job again" in gone.get_json()["error"]["message"]
    assert api.get(f"/jobs/{job_id}").get_json()["state"] == JobState.EXPIRED
