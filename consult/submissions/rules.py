"""The checks every CSO action makes, and the refusal it raises: :class:`SubmissionError`."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from consult.access import may
from consult.errors import DomainError
from consult.inputs.models import Consultation, Input


class SubmissionError(DomainError):
    """A draft or submission that cannot be accepted.

    ``fields`` maps an :class:`InputData` field name to its messages; a message
    about the whole input is under ``"__all__"``.
    """


def require_cso(user: Any) -> None:
    if not may(user, "submit_input") or user.organisation_id is None:
        raise SubmissionError(_("Only members of a civil society organisation may do this."))


def require_own(user: Any, item: Input) -> None:
    if item.organisation_id != user.organisation_id:
        raise SubmissionError(_("This input belongs to another organisation."))


def require_open(consultation: Consultation) -> None:
    if not consultation.is_open:
        raise SubmissionError(
            _(
                "This consultation closed on %(date)s and accepts no new inputs. "
                "Your drafts stay readable."
            )
            % {"date": consultation.closes_at.strftime("%d %b %Y")}
        )


def unverified_message() -> str:
    """Why an unverified organisation cannot submit, and who to ask."""
    contact = current_app.config.get("ADMIN_CONTACT_EMAIL") or ""
    message = _(
        "Your organisation is not verified yet, so you can save drafts but not submit them. "
        "An administrator of this platform verifies organisations."
    )
    if contact:
        message += " " + _("Write to %(email)s to ask for verification.") % {"email": contact}
    return message


def require_verified(user: Any) -> None:
    organisation = user.organisation
    if organisation is None or not organisation.is_verified:
        raise SubmissionError(unverified_message())


def fail_if_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise SubmissionError(_("Some answers need your attention."), errors)
