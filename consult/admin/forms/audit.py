"""The filters of the audit log: who, what, which object, when."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import Length, Optional

from consult.audit.actions import ACTION_KINDS, ACTION_PHRASES
from consult.date_field import LocalDateField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    who = StringField(
        _l("Who"),
        description=_l("Part of a name or an email address."),
        validators=[Optional(), Length(max=254)],
    )
    what = SelectField(_l("What"), validators=[Optional()])
    object_id = StringField(
        _l("Object"),
        description=_l("The history of one input, account or organisation (its id)."),
        validators=[Optional(), Length(max=64)],
    )
    since = LocalDateField(_l("From"), validators=[Optional()])
    until = LocalDateField(_l("Until (inclusive)"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The kinds, then every known action (not read from the log: no scan of it)."""
        super().__init__(*args, **kwargs)
        single = sorted(
            ((a, _(phrase)) for a, phrase in ACTION_PHRASES.items()), key=lambda p: p[1]
        )  # noqa: INT001
        self.what.choices = {
            None: [("", _("Anything"))],  # not in a group: the first, empty choice
            _("Kinds of action"): [(slug, _(name)) for slug, (name, _a) in ACTION_KINDS.items()],  # noqa: INT001
            _("One action"): single,
        }

    def validate_until(self, field: LocalDateField) -> None:
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError(_("The last day comes before the first; swap them."))
