"""Long work on a job queue: big digests and reports, releases, retention purges.

A :class:`~consult.jobs.models.Job` row holds what was asked, by whom, its
state and its result; the work itself runs on an RQ worker (``flask jobs
worker``) when ``JOBS_REDIS_URL`` names a Redis, or in-process, inside the
request or command that started it, when it does not (``make run``, tests).

- :mod:`.models`: the ``jobs`` table
- :mod:`.kinds`: the registry of job kinds (what each runs, who may see it)
- :mod:`.queue`: :func:`start_job` and :func:`run_job`, the two ends of the queue
- :mod:`.progress`: how work reports how far it got (read by the status page)
- :mod:`.files`: the files jobs make, kept for ``JOB_FILE_HOURS`` then deleted
- :mod:`.views`: the status page, its JSON twin and the file download
"""
