"""Labels kept in tables reach the translation catalogue (`make messages`)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_file

from consult.inputs import states
from consult.submissions.views import EVENT_LABELS, MESSAGE_LABELS

ROOT = Path(__file__).resolve().parents[2]
#: The keywords `make messages` extracts (see the Makefile).
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None}


def _extracted(relative: str) -> set[str]:
    return {
        message
        for _line, message, _comments, _context in extract_from_file(
            "python", ROOT / relative, keywords=KEYWORDS
        )
    }


def test_status_and_attribution_labels_are_marked_for_translation():
    marked = _extracted("consult/inputs/states.py")
    for table in (
        states.STATUS_LABELS,
        states.ATTRIBUTION_LABELS,
        states.ATTRIBUTION_EXPLANATIONS,
    ):
        assert set(table.values()) <= marked


def test_timeline_labels_for_csos_are_marked_for_translation():
    marked = _extracted("consult/submissions/views/input_page.py")
    labels = {str(label) for label in (*EVENT_LABELS.values(), *MESSAGE_LABELS.values())}
    assert labels <= marked
