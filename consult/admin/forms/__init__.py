"""Forms of the administration area, one module per area.

Choices that come from the database (organisations, delegations, countries,
priorities) are filled in when a form is built, so a form always offers what
exists now.

- :mod:`.fields`: what the forms share (checkbox lists, database choices, built forms,
  the confirmation button)
- :mod:`.users`: the user list filter, a new account
- :mod:`.organisations`: an organisation
- :mod:`.delegations`: a delegation, and the coverage of countries
- :mod:`.consultations`: a consultation with its guiding questions
- :mod:`.reference`: renaming and adding reference list entries
- :mod:`.audit`: the audit log filter

The views use ``from consult.admin import forms`` and ``forms.UserCreateForm``.
"""

from consult.admin.forms.audit import AuditFilterForm
from consult.admin.forms.consultations import (
    ConsultationBaseForm,
    consultation_form,
    question_field_name,
)
from consult.admin.forms.delegations import DelegationForm, coverage_form
from consult.admin.forms.fields import ConfirmForm, MultiCheckboxField
from consult.admin.forms.organisations import OrganisationForm
from consult.admin.forms.reference import ReferenceAddForm, reference_names_form
from consult.admin.forms.users import UserCreateForm, UserFilterForm

__all__ = [
    "AuditFilterForm",
    "ConfirmForm",
    "ConsultationBaseForm",
    "DelegationForm",
    "MultiCheckboxField",
    "OrganisationForm",
    "ReferenceAddForm",
    "UserCreateForm",
    "UserFilterForm",
    "consultation_form",
    "coverage_form",
    "question_field_name",
    "reference_names_form",
]
