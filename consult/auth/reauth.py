"""Asking again for the password and the second factor before sensitive steps.

Creating an API token, changing the second factor and downloading an internal
digest need a sign-in (both factors) younger than ``REAUTH_MINUTES`` (15 by
default). An older one is sent to the confirmation page (``auth.confirm``)
and comes back where it was going. When the sign-in was given is recorded on
the server-side session (:data:`consult.auth.session.AUTHENTICATED`).

Use :func:`recent_sign_in_required` under the view's access guard::

    @bp.route("/download/<fmt>")
    @requires("download_digest")
    @recent_sign_in_required
    def download(fmt): ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.auth.session import AUTHENTICATED, now_ts

F = TypeVar("F", bound=Callable[..., Any])


def reauth_seconds() -> int:
    return int(current_app.config["REAUTH_MINUTES"]) * 60


def signed_in_recently() -> bool:
    """Whether the current session's last sign-in (both factors) is recent enough."""
    given = session.get(AUTHENTICATED)
    return isinstance(given, int) and now_ts() - given <= reauth_seconds()


def mark_reauthenticated() -> None:
    session[AUTHENTICATED] = now_ts()


def _return_path() -> str:
    """Where to come back after confirming: this page, or for a form post, the form's page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return request.path


def recent_sign_in_required(view: F) -> F:
    """Send a signed-in person whose last sign-in is too old to confirm it is them."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated and not signed_in_recently():
            flash(
                _("For this step, confirm it is you: type your password (and your code) again."),
                "info",
            )
            return redirect(url_for("auth.confirm", next=_return_path()))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
