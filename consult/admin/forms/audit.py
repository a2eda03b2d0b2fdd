"""The filter of the audit log."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor_email = StringField(_l("Actor email contains"), validators=[Optional(), Length(max=254)])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    since = DateField(
        _l("From (UTC date)"),
        invalid_value_message=_l("Give a date like 2026-03-01."),
        validators=[Optional()],
    )
    until = DateField(
        _l("Until (UTC date, inclusive)"),
        invalid_value_message=_l("Give a date like 2026-03-31."),
        validators=[Optional()],
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("Any"))] + [(a, a) for a in (actions or [])]
