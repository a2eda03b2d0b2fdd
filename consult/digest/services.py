"""HQ digests: what they contain, and generating a download in any format.

``render_digest(fmt, filters, actor)`` is the one entry point of the views,
the CLI and the API: it counts in SQL, records the download in the audit
log and returns a :class:`DigestFile` whose ``chunks`` stream the file.

This module gathers the public names of the topic modules, so callers import
one place (``from consult.digest.services import ...``):

- :mod:`consult.digest.filters`: the filters, parsed and checked (:class:`FilterError`)
- :mod:`consult.digest.matrix`: :class:`Matrix` (priorities by countries), its cells and
  rows, and the countries that head an external matrix's columns
- :mod:`consult.digest.consultation_info`: what a report says about its consultation
- :mod:`consult.digest.contents`: :class:`Digest`, the shaped digest every writer reads, and
  its inputs as presented (:class:`DigestInput`)
- :mod:`consult.digest.internal`: internal digests (EU staff), free queries with exact counts
- :mod:`consult.digest.releases`: external releases, published once and projected by filters
- :mod:`consult.digest.rendering`: :func:`build_digest`, :func:`render_digest`, the formats
  and the audit record
"""

from __future__ import annotations

from consult.digest.consultation_info import ConsultationInfo
from consult.digest.contents import Digest, DigestInput
from consult.digest.filters import (
    AUDIENCES,
    FILTER_NAMES,
    DigestFilters,
    FilterError,
    parse_filters,
    valid_values,
)
from consult.digest.matrix import Matrix, MatrixCell, MatrixRow, matrix_columns
from consult.digest.rendering import FORMATS, DigestFile, build_digest, render_digest

__all__ = [
    "AUDIENCES",
    "FILTER_NAMES",
    "FORMATS",
    "ConsultationInfo",
    "Digest",
    "DigestFile",
    "DigestFilters",
    "DigestInput",
    "FilterError",
    "Matrix",
    "MatrixCell",
    "MatrixRow",
    "build_digest",
    "matrix_columns",
    "parse_filters",
    "render_digest",
    "valid_values",
]
