"""Jobs without a queue (no Redis): the work runs in the request, the page offers the file."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.audit.models import AuditEvent
from consult.extensions import db
from consult.jobs.files import job_file
from consult.jobs.models import Job, JobState
from consult.timeutil import utcnow


def _actions(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == name)))


def _job_url(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f-]{36}", location), location
    return location


def test_a_small_digest_is_downloaded_at_once(data, client, login, hq_user):
    login(client, hq_user)
    response = client.get("/digest/download/csv?audience=internal")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert db.session.scalars(select(Job)).all() == []


def test_a_big_digest_is_made_by_a_job_and_offered_on_its_page(big, data, client, login, hq_user):
    login(client, hq_user)
    direct = client.get("/digest/download/csv?audience=internal&priority=ssr")
    assert direct.status_code == 302
    page_url = _job_url(direct)
    page = client.get(page_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Done." in text and "The file holds 4 inputs." in text
    assert 'http-equiv="refresh"' not in text  # finished: nothing to wait for
    link = re.search(r'href="(/jobs/[0-9a-f-]+/file)"', text).group(1)
    assert "The file is kept until" in text

    download = client.get(link)
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert 'filename="consult-digest-internal-' in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == 1 + 4  # the header and the four (ssr) inputs
    big.config["JOB_THRESHOLD_INPUTS"] = 1000
    same = client.get("/digest/download/csv?audience=internal&priority=ssr").get_data(as_text=True)
    assert list(csv.reader(io.StringIO(same))) == rows

    made = _actions("digest.downloaded")
    assert [event.detail.get("via") for event in made] == ["job", "web"]
    assert len(_actions("job.started")) == 1 and len(_actions("job.downloaded")) == 1


def test_every_format_can_be_made_by_a_job(big, data, client, login, hq_user):
    login(client, hq_user)
    for fmt, mimetype in [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("html", "text/html"),
    ]:
        page = client.get(_job_url(client.get(f"/digest/download/{fmt}"))).get_data(as_text=True)
        link = re.search(r'href="(/jobs/[0-9a-f-]+/file)"', page).group(1)
        file = client.get(link)
        assert file.status_code == 200 and file.mimetype == mimetype, fmt
        assert len(file.get_data()) > 100


def test_a_bad_filter_is_refused_before_any_job(big, data, client, login, hq_user):
    login(client, hq_user)
    response = client.get("/digest/download/csv?country=XX")
    assert response.status_code == 400
    assert "valid values: AM, AZ" in response.get_data(as_text=True)
    assert db.session.scalars(select(Job)).all() == []


def test_another_analyst_may_fetch_the_file_but_no_other_role(
    big, data, client, login, hq_user, other_hq_user, moderator_user, admin_user, app
):
    login(client, hq_user)
    page_url = _job_url(client.get("/digest/download/json?audience=internal"))
    other = app.test_client()
    login(other, other_hq_user)
    assert other.get(page_url).status_code == 200
    assert other.get(page_url + "/file").status_code == 200
    for user in (moderator_user, admin_user):
        stranger = app.test_client()
        login(stranger, user)
        assert stranger.get(page_url).status_code == 404
        assert stranger.get(page_url + "/file").status_code == 404
        assert stranger.get(page_url + "/progress").status_code == 404
    assert app.test_client().get(page_url + "/file").status_code in (302, 401)
    assert len(_actions("access.denied")) == 6


def test_a_job_of_a_command_is_seen_by_no_one_on_the_web(runner, client, login, admin_user):
    result = runner.invoke(args=["purge", "--queue"])
    assert result.exit_code == 0, result.output
    assert "inputs deleted: 0" in result.output
    job = db.session.scalars(select(Job)).one()
    assert job.kind == "retention.purge" and job.state == JobState.DONE
    login(client, admin_user)
    assert client.get(f"/jobs/{job.id}").status_code == 404


def test_the_file_is_deleted_when_its_time_is_up(big, data, client, login, hq_user):
    login(client, hq_user)
    page_url = _job_url(client.get("/digest/download/csv?audience=internal"))
    job = db.session.scalars(select(Job)).one()
    path = job_file(job.id)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    job.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    page = client.get(page_url)
    assert page.status_code == 200
    assert "was deleted 24 hours after it was made" in page.get_data(as_text=True)
    assert not path.exists()
    assert db.session.get(Job, job.id).state == JobState.EXPIRED
    assert client.get(page_url + "/file").status_code == 410


def test_the_purge_command_deletes_expired_files(big, data, client, login, hq_user, runner):
    login(client, hq_user)
    _job_url(client.get("/digest/download/csv?audience=internal"))
    job = db.session.scalars(select(Job)).one()
    assert "job files deleted: 0" in runner.invoke(args=["jobs", "purge-files"]).output
    job.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "job files deleted: 1" in runner.invoke(args=["jobs", "purge-files"]).output
    assert not job_file(job.id).exists()


def test_a_waiting_job_page_refreshes_itself_and_loads_its_script(data, client, login, hq_user):
    job = Job(
        kind="digest.file",
        owner_id=hq_user.id,
        owner_role=hq_user.role,
        params={"fmt": "csv", "part": "inputs", "filters": {"audience": "internal"}},
    )
    db.session.add(job)
    db.session.commit()
    login(client, hq_user)
    page = client.get(f"/jobs/{job.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Waiting for a worker to start this job." in text
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in text
    assert re.search(r'<script src="/static/job-status.js\?v=\w+" defer></script>', text)
    assert "<progress" in text
    assert "Content-Security-Policy" in page.headers and "style=" not in text
    state = client.get(f"/jobs/{job.id}/progress").get_json()
    assert state == {
        "state": "queued",
        "finished": False,
        "done": 0,
        "total": None,
        "percent": None,
    }
    script = client.get("/static/job-status.js")
    assert script.status_code == 200 and b"data-progress-url" in script.get_data()


def test_a_release_is_published_by_a_job(app, client, login, hq_user):
    from tests.digest.conftest import build_digest_data

    build_digest_data()
    login(client, hq_user)
    response = client.post("/digest/releases", data={"consultation": "enp-2026", "confirm": "y"})
    assert response.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert job.kind == "release.publish" and job.state == JobState.DONE
    assert job.result["number"] == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Release 1 of enp-2026 is published" in page


def test_a_release_that_cannot_be_published_says_why_on_the_form(app, client, login, hq_user):
    from consult.inputs.models import Consultation
    from tests import factories

    factories.make_consultation("empty-one")
    assert db.session.scalars(select(Consultation)).first() is not None
    login(client, hq_user)
    response = client.post("/digest/releases", data={"consultation": "empty-one", "confirm": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert "No forwarded input of 'empty-one' may leave the EU institutions" in page
    assert db.session.scalars(select(Job)).all() == []  # refused before any job was started


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_job_is_not_found(client, login, hq_user, bad):
    login(client, hq_user)
    assert client.get(f"/jobs/{bad}").status_code == 404
