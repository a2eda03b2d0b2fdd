"""The admin blueprint and what its pages share: saving a form, statuses, filters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import Field

from consult.actions import attempt, run_actions
from consult.admin import forms
from consult.auth.models import User
from consult.errors import DomainError
from consult.extensions import db
from consult.reference import services as reference

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _say_refusal(error: DomainError) -> Response:
    """A refusal no view answered its own way: say it on the page the admin came from."""
    flash(error.message, "error")
    return redirect(request.referrer or url_for("admin.index"))


run_actions(bp, _say_refusal)


Rendered = str | tuple[str, int] | Response
T = TypeVar("T")


def acting_admin() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _apply_errors(form: FlaskForm, exc: DomainError) -> list[str]:
    """Put a service's refusals next to their fields; return those with no field."""
    loose: list[str] = []
    for name, messages in exc.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            loose.extend(messages)
    return loose


@dataclasses.dataclass
class NotSaved:
    """A form that was not saved: not sent, not valid, or refused by the service.

    ``loose`` holds the refusals that belong to no field of the form.
    """

    loose: list[str] = dataclasses.field(default_factory=list)


def save_form(form: FlaskForm, action: Callable[[], T]) -> T | NotSaved:
    """Run ``action`` (a service call) for a valid submitted form.

    A refusal rolls the request back and its messages go next to their
    fields; the view then shows the form again. A success is committed after
    the view (:mod:`consult.actions`).
    """
    if not form.validate_on_submit():
        return NotSaved()
    result = attempt(action)
    if isinstance(result, DomainError):
        return NotSaved(_apply_errors(form, result))
    return result


def page_status(loose: list[str], *shown: FlaskForm) -> int:
    """400 when the page shows an error, 200 otherwise."""
    return 400 if loose or any(f.errors for f in shown) else 200


def flash_saved(changed: bool, message: str) -> None:
    """Say what was saved, or that nothing changed."""
    if changed:
        flash(message, "success")
    else:
        flash(_("Nothing changed."), "info")


def confirm_or_400() -> None:
    """A button that changes something must come with a valid form (CSRF token)."""
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)


def filter_value(f: Field, fallback: Any = "") -> Any:
    """A filter's value, or ``fallback`` when what was typed is not valid."""
    return fallback if f.errors else f.data


def args_without(key: str) -> dict[str, str]:
    """The page's query arguments that are set, less ``key`` (the pager adds its own)."""
    return {k: v for k, v in request.args.items() if k != key and v}


def _regions() -> list[Any]:
    return reference.regions()


def count_by(column: Any) -> dict[Any, int]:
    """How many users have each (set) value of one of their columns."""
    return dict(
        db.session.execute(
            select(column, func.count()).where(column.is_not(None)).group_by(column)
        ).all()
    )


def form_page(template: str, form: FlaskForm, loose: list[str], **context: Any) -> tuple[str, int]:
    """An edit page with the countries grouped by region; 400 when it shows an error."""
    return render_template(
        template, form=form, loose=loose, regions=_regions(), **context
    ), page_status(loose, form)
