"""Which files changed between two moments: the preview decides from this what to build again.

The live-reload server only says "something changed"; comparing size and modification time of every
watched file (a few thousand stat calls, some milliseconds) says what.
"""

from __future__ import annotations

import os
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]  # absolute path -> (size, mtime in ns)


def take(roots: list[Path]) -> Snapshot:
    """Size and modification time of every file under the roots (a root may also be a single file)."""
    found: Snapshot = {}
    for root in roots:
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_size, stat.st_mtime_ns)
        elif root.is_dir():
            _walk(str(root), found)
    return found


def _walk(folder: str, found: Snapshot) -> None:
    # os.scandir rather than os.walk and a stat per path: the preview compares four times a second.
    try:
        entries = list(os.scandir(folder))
    except OSError:  # removed while walking
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if not entry.is_symlink():  # as os.walk: a linked folder is not entered
                    _walk(entry.path, found)
                continue
            stat = entry.stat()
        except OSError:  # removed while walking
            continue
        found[entry.path] = (stat.st_size, stat.st_mtime_ns)


def changed(before: Snapshot, after: Snapshot) -> set[str]:
    """Files added, removed or modified."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
