"""Review pages: the queues, the review page of an input, its actions, the sealed original.

Views parse the request, call :mod:`consult.review.services`, commit and
render (or redirect). Every page that shows an input to EU staff records
an audit event; nothing here ever shows an HQ-direct input's organisation
to delegation staff (:func:`consult.inputs.scope.may_see_organisation`).

The blueprint is defined in :mod:`.blueprint`; importing the other modules
registers their routes on it:

- :mod:`.queues`: the queues and bulk forwarding
- :mod:`.input_page`: the review page of one input
- :mod:`.actions`: claim, release, take over, edit, redact, decide, merge, HQ feedback
- :mod:`.originals`: the sealed original and attachments
"""

from consult.review.views import actions, input_page, originals, queues
from consult.review.views.blueprint import bp

__all__ = ["actions", "bp", "input_page", "originals", "queues"]
