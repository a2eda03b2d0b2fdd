"""gunicorn's settings when it is started from this folder (``make serve-prod``).

The app is loaded once in the master before any worker starts, so settings
that production refuses (see consult/settings_check.py) stop gunicorn at once.
"""

preload_app = True
