"""What each procedure file contributed to the last load, kept in memory by a long-running preview.

`serve` reloads the catalogue after every save. Parsing, validating and modelling 2,000 files takes
over a second even from the parse cache, while an edit usually touches one file. A file's outcome
(its Procedure or its problems) depends on its own bytes and on the rest of content/ outside
procedures/ (overlays, form files, form definitions), so an entry is reused only when the file's
bytes are unchanged and nothing outside procedures/ changed since the entry was made. The cheaper
checks between files (duplicate codes, references) run on every load.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Procedure
from .problems import Problem


@dataclass
class FileOutcome:
    """One procedure file's part of a load."""

    procedure: Procedure | None = None
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the YAML itself was refused
    invalid_code: str | None = None  # the code of a file that failed validation, to avoid a second error
    overlay: str | None = None  # the code of the overlay merged into it
    definitions: dict[str, Path] = field(default_factory=dict)  # form definitions it uses


def _digest(file: Path) -> str | None:
    try:
        return hashlib.blake2b(file.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def content_stamp(content_dir: Path, options: Any) -> tuple:
    """Everything a file's outcome depends on besides its own bytes: options and files outside procedures/."""
    listing = []
    procedures = str(content_dir / "procedures")
    for folder, subfolders, names in os.walk(content_dir):
        if folder == procedures:
            subfolders.clear()
            continue
        for name in names:
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            listing.append((folder, name, stat.st_size, stat.st_mtime_ns))
    return (options.code_pattern, options.max_form_bytes, tuple(sorted(listing)))


class LoadMemo:
    """Outcomes by file path, valid for one content stamp."""

    def __init__(self) -> None:
        self.stamp: tuple | None = None
        self.entries: dict[Path, tuple[str, FileOutcome]] = {}
        self.reused = 0  # how many files the last load took from the memo (for the preview's report)

    def start(self, stamp: tuple) -> None:
        if stamp != self.stamp:
            self.entries.clear()
            self.stamp = stamp
        self.reused = 0

    def lookup(self, file: Path) -> tuple[FileOutcome | None, str | None]:
        """The stored outcome if the file's bytes are unchanged; also its digest, for `remember`."""
        digest = _digest(file)
        entry = self.entries.get(file)
        if digest is not None and entry is not None and entry[0] == digest:
            self.reused += 1
            return entry[1], digest
        return None, digest

    def remember(self, file: Path, digest: str | None, outcome: FileOutcome) -> None:
        if digest is not None:
            self.entries[file] = (digest, outcome)

    def forget_missing(self, files: set[Path]) -> None:
        """Drop entries of files that are gone: memory stays bounded over a long session."""
        for gone in set(self.entries) - files:
            del self.entries[gone]
