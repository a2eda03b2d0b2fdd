"""Limits on document archives (DOCX, XLSX, ODT are ZIP files): no "zip bombs".

A 10 MB upload may declare gigabytes once unpacked. Before any member is
read, the archive as a whole must unpack to at most ``MAX_UNCOMPRESSED_BYTES``
(``CONSULT_MAX_UNCOMPRESSED_MB``, 25 MB by default), hold a sane number of
members, and no member may expand more than ``MAX_COMPRESSION_RATIO`` times
(``CONSULT_MAX_COMPRESSION_RATIO``, 100 by default; ordinary document XML
compresses 5 to 20 times). Members are then read in chunks, and the bytes
actually produced are counted against the same cap, so a header that lies
about sizes gains nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from flask import current_app

#: Members smaller than this are never judged by their ratio (a tiny file of
#: repeated spaces compresses well and harms no one).
RATIO_FLOOR_BYTES = 1024 * 1024
#: More members than any real document has.
MAX_MEMBERS = 5000
CHUNK = 64 * 1024


class ArchiveTooLarge(ValueError):
    """The archive unpacks to more than the cap."""


class ArchiveBomb(ValueError):
    """The archive's compression is not that of a document (a zip bomb)."""


def max_uncompressed_bytes() -> int:
    return int(current_app.config["MAX_UNCOMPRESSED_BYTES"])


def max_ratio() -> int:
    return int(current_app.config["MAX_COMPRESSION_RATIO"])


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive by what its directory declares, before reading any member."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveBomb(f"{len(infos)} members")
    total = 0
    ratio = max_ratio()
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * max(
            info.compress_size, 1
        ):
            raise ArchiveBomb(info.filename)
    if total > max_uncompressed_bytes():
        raise ArchiveTooLarge(str(total))


class Budget:
    """Counts the bytes actually unpacked from one archive against the cap."""

    def __init__(self) -> None:
        self.left = max_uncompressed_bytes()

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise ArchiveTooLarge("more bytes than declared")


def iter_member(archive: zipfile.ZipFile, name: str, budget: Budget) -> Iterator[bytes]:
    """The bytes of member ``name``, chunk by chunk, counted against ``budget``."""
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            budget.take(len(chunk))
            yield chunk


def read_member(archive: zipfile.ZipFile, name: str, budget: Budget) -> bytes:
    """A whole member (only for the small parts that are rewritten or inspected)."""
    return b"".join(iter_member(archive, name, budget))


def copy_member(
    archive: zipfile.ZipFile,
    name: str,
    target: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    budget: Budget,
) -> None:
    """Copy a member into ``target`` as ``info`` without holding it in memory."""
    with target.open(info, "w") as out:
        for chunk in iter_member(archive, name, budget):
            out.write(chunk)


__all__ = [
    "ArchiveBomb",
    "ArchiveTooLarge",
    "Budget",
    "check_archive",
    "copy_member",
    "read_member",
]
