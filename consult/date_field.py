"""A date field typed in the interface language's pattern (never the browser's own).

``<input type=date>`` shows the browser's format (mm/dd/yyyy in a US browser)
whatever the page's language, beside a hint that said YYYY-MM-DD. This field is
a text box whose hint, shown value and accepted value all follow
:mod:`consult.dates`; ISO 8601 is accepted too. A date that is not one is
refused with a message, and what was typed stays in the box.
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from wtforms import Field
from wtforms.widgets import TextInput

from consult.dates import (
    DateInputError,
    date_hint,
    datetime_hint,
    input_date,
    input_datetime,
    parse_date,
    parse_datetime,
)


class LocalDateInput(TextInput):
    """A text box for a date: numeric keyboard on phones, no autofill."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("size", 12)
        kwargs.setdefault("maxlength", 24)
        return super().__call__(field, **kwargs)


class LocalDateField(Field):
    """A date as the reader's language writes it; ``data`` is a :class:`date` or None."""

    widget = LocalDateInput()
    data: Any
    parse: Any = staticmethod(parse_date)
    shown: Any = staticmethod(input_date)
    hint: Any = staticmethod(date_hint)

    def __init__(
        self, label: Any = None, validators: Any = None, about: Any = None, **kwargs: Any
    ) -> None:
        """``about``: what the date means, said before how to write it."""

        def hint() -> str:
            return f"{about} {self.hint()}" if about else self.hint()

        kwargs.setdefault("description", LazyString(hint))
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = self.parse(raw)
            except DateInputError as refusal:
                raise ValueError(str(refusal)) from None

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.shown(self.data)


class LocalDateTimeField(LocalDateField):
    """A date and time (UTC) as the language writes it; ``data`` is a naive :class:`datetime`."""

    parse = staticmethod(parse_datetime)
    shown = staticmethod(input_datetime)
    hint = staticmethod(datetime_hint)
