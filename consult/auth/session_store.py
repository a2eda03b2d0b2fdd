"""Server-side sessions (Flask-Session): the cookie holds a random id, nothing else.

What a session holds (who, since when, last seen, when both factors were last
given) lives on the server, so timeouts are the server's decision and ending
a session deletes it. The store is Redis when ``SESSION_REDIS_URL`` is set
(production requires it), a folder in instance/ in development, and memory
in tests. Entries expire with the absolute session lifetime.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cachelib import FileSystemCache, SimpleCache
from flask import Flask, current_app, session
from flask_session import Session

from consult.maintenance.modes import private_dir

KEY_PREFIX = "consult:session:"
#: How many sessions the development and test stores keep at most.
LOCAL_THRESHOLD = 10_000


def init_session_store(app: Flask) -> None:
    config = app.config
    lifetime = timedelta(hours=int(config["SESSION_ABSOLUTE_HOURS"]))
    config["PERMANENT_SESSION_LIFETIME"] = lifetime
    config["SESSION_PERMANENT"] = True
    config["SESSION_KEY_PREFIX"] = KEY_PREFIX
    url = config.get("SESSION_REDIS_URL")
    if url:
        import redis

        config["SESSION_TYPE"] = "redis"
        config["SESSION_REDIS"] = redis.Redis.from_url(url)
    elif config.get("ENV_NAME") == "testing":
        config["SESSION_TYPE"] = "cachelib"
        config["SESSION_CACHELIB"] = SimpleCache(threshold=LOCAL_THRESHOLD)
    else:
        folder = private_dir(Path(app.instance_path) / "sessions")
        config["SESSION_TYPE"] = "cachelib"
        config["SESSION_CACHELIB"] = FileSystemCache(
            str(folder), threshold=LOCAL_THRESHOLD, mode=0o600
        )
    Session(app)


def renew_session_id() -> None:
    """Give the current session a new id, and forget the old one in the store.

    At sign-in: an id planted or seen before (session fixation) opens nothing after.
    """
    interface = current_app.session_interface
    if not hasattr(interface, "regenerate"):
        return
    # Flask-Session renews only a session that holds something.
    session["consult_renew"] = True
    interface.regenerate(session)
    session.pop("consult_renew", None)
