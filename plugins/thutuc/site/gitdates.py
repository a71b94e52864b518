"""Last-commit dates of content files, read from git once for the whole tree."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_commit_dates(folder: Path) -> dict[Path, str]:
    """{resolved file path: "YYYY-MM-DD"} for every file under folder that git knows; {} outside git."""
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", str(folder), "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", "."],
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[Path, str] = {}
    date = ""
    for line in log.splitlines():
        if line.startswith("\x00"):
            date = line[1:]
        elif line.strip():
            # Newest commits come first: keep the first date seen for each file.
            dates.setdefault((Path(top) / line).resolve(), date)
    return dates
