"""Private file modes: what the app writes (attachments, backups, instance/) is
readable by the account that runs it and no one else.

Files are created 0600 and folders 0700 whatever the umask; ``check-storage``
reports anything under the upload folder or instance/ that group or others
may read (:func:`loose_modes`), and ``check-storage --fix`` tightens it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import IO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
#: Bits that give group or others any access.
SHARED_BITS = 0o077


def private_dir(path: Path | str) -> Path:
    """Create ``path`` (and missing parents) as 0700 folders; an existing one is left as is."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    return path


def open_private(path: Path | str, *, exclusive: bool = True) -> IO[bytes]:
    """Open a new file for writing, created 0600 (``exclusive``: it must not exist)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return os.fdopen(fd, "wb")


def touch_private(path: Path | str) -> None:
    """Create an empty 0600 file unless it exists (an SQLite database before SQLite opens it)."""
    try:
        open_private(path).close()
    except FileExistsError:
        pass


@dataclass(frozen=True)
class LooseMode:
    path: Path
    mode: int
    wanted: int

    def __str__(self) -> str:
        return f"{self.path} is {self.mode:04o}, should be {self.wanted:04o}"


def _loose(path: Path) -> LooseMode | None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return None
    mode = stat.S_IMODE(info.st_mode)
    wanted = PRIVATE_DIR if stat.S_ISDIR(info.st_mode) else PRIVATE_FILE
    return LooseMode(path, mode, wanted) if mode & SHARED_BITS else None


def loose_modes(folders: list[Path], *, recursive: bool = True) -> list[LooseMode]:
    """Folders (and what is in them) that group or others may read, write or enter."""
    found: list[LooseMode] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        children = folder.rglob("*") if recursive else folder.iterdir()
        for path in [folder, *sorted(children)]:
            loose = _loose(path)
            if loose is not None:
                found.append(loose)
    return found


def tighten(loose: list[LooseMode]) -> None:
    """Take group and others' bits away from each path in ``loose``."""
    for item in loose:
        os.chmod(item.path, item.mode & ~SHARED_BITS)
