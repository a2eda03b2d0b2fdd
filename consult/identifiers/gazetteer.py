"""Given names and surnames for finding people's names, from the names-dataset package.

names-dataset ships two large pickles (every first and last name seen in a
large public dataset, with per-country popularity ranks). Loading them takes
seconds and about 2 GB of memory, so the first use keeps a compact extract
(the names in Latin, Cyrillic or Arabic script that rank within the top
``FIRST_RANK``/``LAST_RANK`` of at least one country) in a cache file, and every
later process loads that extract in a fraction of a second. ``make install``
builds it ahead of time; nothing is downloaded at run time.
"""

from __future__ import annotations

import gzip
import os
import pickle  # noqa: S403 - the pickles ship inside an installed package
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

FIRST_RANK = 5000
LAST_RANK = 10000
_SCRIPTS = (
    (0x0041, 0x024F),  # Latin with its extensions
    (0x0400, 0x04FF),  # Cyrillic
    (0x0600, 0x06FF),  # Arabic
)


@dataclass(frozen=True)
class Gazetteer:
    given: frozenset[str]
    surnames: frozenset[str]


def _in_scripts(name: str) -> bool:
    return all(any(lo <= ord(ch) <= hi for lo, hi in _SCRIPTS) or ch in " -'" for ch in name)


def _extract(filename: str, max_rank: int) -> list[str]:
    source = resources.files("names_dataset") / "v3" / filename
    with source.open("rb") as raw, gzip.open(raw) as handle:
        # The names-dataset package ships its tables pickled; this reads that installed
        # package data, never anything a user sent.
        table = pickle.load(handle)  # noqa: S301  # nosec B301
    keep = []
    for name, info in table.items():
        ranks = info.get("rank") or {}
        ranks = [r for r in ranks.values() if r is not None]
        if ranks and min(ranks) <= max_rank and len(name) >= 2 and _in_scripts(name):
            keep.append(name)
    return sorted(keep)


def cache_path() -> Path:
    """Where the compact extract lives: ``CONSULT_CACHE_DIR`` or ``~/.cache/consult``."""
    base = os.environ.get("CONSULT_CACHE_DIR") or Path.home() / ".cache" / "consult"
    version = metadata.version("names-dataset")
    return Path(base) / f"names-{version}-{FIRST_RANK}-{LAST_RANK}.txt.gz"


def build(path: Path | None = None) -> Path:
    """Write the extract (atomically, so parallel test workers never read half a file)."""
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    given = _extract("first_names.pkl.gz", FIRST_RANK)
    surnames = _extract("last_names.pkl.gz", LAST_RANK)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
        out.write("\n".join(given))
        out.write("\n\f\n")
        out.write("\n".join(surnames))
    os.replace(tmp, path)
    return path


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The given names and surnames, building the cache on first use."""
    path = cache_path()
    if not path.exists():
        build(path)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        given, _, surnames = handle.read().partition("\n\f\n")
    return Gazetteer(frozenset(given.split("\n")), frozenset(surnames.split("\n")))
