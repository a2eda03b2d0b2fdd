"""What a CSO member sees: consultations, the input form, their organisation's inputs.

The input form never loses what was typed. A failed validation re-renders
it with every value and the files already accepted (kept under the form's
``upload_key``). A POST that arrives after the session ended, or with an
expired CSRF token, re-renders the same form from the posted values and asks
the person to sign in again (inline, on the form) or to confirm; nothing is
saved from such a request until it is confirmed. Each listed file has a
"Remove" button (a submit button of the same form, no JavaScript): it takes
that file off and shows the form again as it was typed, saving nothing else.

The blueprint is defined in :mod:`.blueprint`; importing the other modules
registers their routes on it:

- :mod:`.consultations`: the consultations, and one consultation with its drafts
- :mod:`.input_form`: the input form: new input, draft edited, returned input revised
- :mod:`.input_form_page`: the form page as rendered, and its one-time tokens
- :mod:`.input_form_files`: uploads and each file's "Remove" button
- :mod:`.input_form_rescue`: never losing typed text: sign-in on the form, expired
  CSRF token, rate limits, and the guards of every view that saves the form
- :mod:`.my_inputs`: the list of the organisation's inputs
- :mod:`.input_page`: the page of one input, with its timeline
- :mod:`.withdraw_and_delete`: withdrawing a submitted input, deleting a draft
- :mod:`.attachment_download`: an attachment downloaded
"""

from consult.submissions.views import (
    attachment_download,
    consultations,
    input_form,
    input_form_rescue,
    input_page,
    my_inputs,
    withdraw_and_delete,
)
from consult.submissions.views.blueprint import bp
from consult.submissions.views.input_form_files import ACTION_BUTTONS
from consult.submissions.views.input_form_rescue import (
    FORM_ENDPOINTS,
    input_form_view,
    keeps_text_when_signed_out,
)
from consult.submissions.views.input_page import EVENT_LABELS, MESSAGE_LABELS

__all__ = [
    "ACTION_BUTTONS",
    "EVENT_LABELS",
    "FORM_ENDPOINTS",
    "MESSAGE_LABELS",
    "attachment_download",
    "bp",
    "consultations",
    "input_form",
    "input_form_rescue",
    "input_form_view",
    "input_page",
    "keeps_text_when_signed_out",
    "my_inputs",
    "withdraw_and_delete",
]
