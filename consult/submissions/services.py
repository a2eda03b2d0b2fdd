"""What a CSO member does with an input: draft, submit, withdraw, revise and resubmit.

Every function takes the acting user and explicit objects, enforces the
rules, records the timeline event and the audit row, flushes and leaves the
commit to the caller.

This module gathers the public names of the topic modules, so callers import
one place (``from consult.submissions import services``):

- :mod:`consult.submissions.rules`: the checks every action makes, :class:`SubmissionError`
- :mod:`consult.submissions.input_data`: :class:`InputData`, read from and written onto an input
- :mod:`consult.submissions.validation`: the answers checked by field
- :mod:`consult.submissions.timeline`: the timeline events CSO actions add
- :mod:`consult.submissions.drafts`: saving and deleting drafts, retried saves
- :mod:`consult.submissions.routing`: where an input goes, and how that reads
- :mod:`consult.submissions.submitting`: submitting, idempotent per key
- :mod:`consult.submissions.revising`: revising and resubmitting a returned input
- :mod:`consult.submissions.withdrawing`: withdrawing a submitted input
- :mod:`consult.submissions.attaching`: adding a file to a saved input
- :mod:`consult.submissions.attachment_removal`: taking a file off, and when it may be
"""

from __future__ import annotations

from consult.submissions.attaching import add_attachment, require_attachable
from consult.submissions.attachment_removal import (
    FILES_REMOVABLE,
    AttachmentOutOfReach,
    files_removable,
    removal_refusal,
    remove_attachment,
)
from consult.submissions.drafts import delete_draft, input_by_key, save_draft
from consult.submissions.input_data import InputData, data_from_input
from consult.submissions.revising import resubmit, returned_version, snapshot
from consult.submissions.routing import route_input, routing_preview, routing_sentence
from consult.submissions.rules import SubmissionError, unverified_message
from consult.submissions.submitting import submit_input
from consult.submissions.validation import LANGUAGE_CODES, validate
from consult.submissions.withdrawing import can_withdraw, withdraw

__all__ = [
    "FILES_REMOVABLE",
    "LANGUAGE_CODES",
    "AttachmentOutOfReach",
    "InputData",
    "SubmissionError",
    "add_attachment",
    "can_withdraw",
    "data_from_input",
    "delete_draft",
    "files_removable",
    "input_by_key",
    "removal_refusal",
    "remove_attachment",
    "require_attachable",
    "resubmit",
    "returned_version",
    "route_input",
    "routing_preview",
    "routing_sentence",
    "save_draft",
    "snapshot",
    "submit_input",
    "unverified_message",
    "validate",
    "withdraw",
]
