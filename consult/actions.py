"""One way to run an action: call the service, commit on success, answer a refusal.

A view calls the domain service directly. When the service refuses, it raises
a :class:`~consult.errors.DomainError`; the blueprint's error handler
(installed by :func:`run_actions`) rolls the request back and renders the
refusal. When the view answers with a success (a status below 400), the
request's changes are committed once, after the view. A view that must answer
a refusal its own way (the form again with messages next to the fields) says
how first, with :func:`answer_refusal`, or, to keep the refusal as a value
(a form that shows it beside its fields), runs the service through
:func:`attempt`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, g
from werkzeug.wrappers import Response

from consult.errors import DomainError
from consult.extensions import db

Answer = Callable[[DomainError], Any]
T = TypeVar("T")

_ANSWER = "_consult_refusal_answer"


def answer_refusal(answer: Answer) -> None:
    """Say how this request answers a refusal (the page again, a message, a JSON error)."""
    setattr(g, _ANSWER, answer)


def attempt(action: Callable[[], T]) -> T | DomainError:
    """Run ``action``; a refusal rolls the request back and is returned, not raised."""
    try:
        return action()
    except DomainError as error:
        db.session.rollback()
        return error


def commit_on_success(response: Response) -> Response:
    """Commit the request's changes once, when its answer is a success."""
    if response.status_code < 400:
        db.session.commit()
    return response


def run_actions(bp: Blueprint, default: Answer) -> None:
    """Install the runner on ``bp``: refusals roll back and answer, successes commit.

    ``default`` answers a refusal when the view said nothing else.
    """

    def refused(error: DomainError) -> Any:
        db.session.rollback()
        answer = g.pop(_ANSWER, None) or default
        return answer(error)

    bp.register_error_handler(DomainError, refused)
    bp.after_request(commit_on_success)
