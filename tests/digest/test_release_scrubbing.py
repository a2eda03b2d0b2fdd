"""A release's texts are the same bytes whether a scrubbed text is cached or not."""

from __future__ import annotations

import pytest

from consult.digest.redaction import ExternalText
from consult.digest.releases.places import replace_places
from consult.digest.releases.scrubbing import Cleaner


@pytest.mark.parametrize(
    ("value", "regions", "places"),
    [
        ("Write to Salma Benali in Sfax.", ("TN",), ("TN", "MA")),
        ("Write to Salma Benali in Sfax.", ("MA",), ()),
        ("Call 71 555 123 in Tunis.", ("TN",), ("TN",)),
        ("Call 71 555 123 in Tunis.", ("AM",), ("TN",)),
        ("Call 71 555 123 in Tunis.", (), ()),
        ("", ("TN",), ("TN",)),
        (None, (), ()),
    ],
)
def test_a_cached_text_reads_as_an_uncached_one(app, value, regions, places):
    scrubber = ExternalText(["Salma Benali"])
    cleaner = Cleaner(scrubber)
    expected = scrubber.scrub(value, regions)
    expected = replace_places(expected, places) if places else expected
    # Twice: the second answer comes from the cache.
    assert cleaner(value, regions, places) == expected
    assert cleaner(value, regions, places) == expected
