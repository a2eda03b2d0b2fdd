"""The RQ side: the function a queued job names, and the worker that runs it.

``flask jobs worker`` builds the app, pushes its context and works the
``consult`` queue. RQ forks a work horse per job, so a job's memory is given
back when it ends; the horse starts with fresh database connections (a
connection must never be shared across a fork).
"""

from __future__ import annotations

import uuid

from flask import current_app

from consult.extensions import db
from consult.jobs.queue import purge_expired_jobs, redis_connection, rq_queue, run_job


def perform(job_id: str) -> None:
    """Run one job on the worker (RQ calls this by name, in the app's context)."""
    db.session.remove()
    db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    run_job(uuid.UUID(job_id))
    db.session.remove()


def work(*, burst: bool = False) -> bool:
    """Work the queue until stopped (or, with ``burst``, until it is empty)."""
    from rq import Worker

    purge_expired_jobs()
    db.session.commit()
    db.session.remove()
    db.engine.dispose()
    connection = redis_connection()
    worker = Worker([rq_queue(connection)], connection=connection)
    current_app.logger.info("job worker: working queue %s", rq_queue(connection).name)
    # The scheduler starts the jobs queued for later (the next mail round).
    return worker.work(burst=burst, logging_level="INFO", with_scheduler=True)
