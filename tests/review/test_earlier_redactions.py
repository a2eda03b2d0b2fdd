"""Reading off what a reviewer redacted, from the CSO's text and the reviewed text."""

from __future__ import annotations

import pytest

from consult.review.earlier_redactions import redacted_passages


@pytest.mark.parametrize(
    ("original", "reviewed", "passages"),
    [
        (
            "Write to a@b.org or call +216 555 1234 now.",
            "Write to [redacted] or call [redacted] now.",
            ["a@b.org", "+216 555 1234"],
        ),
        ("Ali and Bob met.", "[redacted] and [redacted] met.", ["Ali", "Bob"]),
        ("Ali met Bob", "Ali met [redacted]", ["Bob"]),
        ("Nothing redacted.", "Nothing redacted.", []),
        ("Nothing redacted.", None, []),
        # Rewritten around the mark: nothing is guessed.
        ("Hello Ali", "Hi [redacted]", []),
    ],
)
def test_redacted_passages(original, reviewed, passages):
    assert redacted_passages(original, reviewed) == passages
