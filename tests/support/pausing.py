"""Stop a real build at a known point, so "while it runs" tests never depend on how fast it runs.

A MkDocs hook file (mkdocs.yml `hooks:`, the host's own extension point) holds the build in the middle
of writing procedure pages until the test stops it; the build cannot finish without passing the hook,
so a test that stops it there has provably interrupted it. The swap itself has a pause point in
thutuc.render.atomic (THUTUC_TEST_PAUSE), since no hook runs between its two renames.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.waiting import wait_until

PAUSED = "paused-mid-build"

# Holds the build at its first procedure page, after the pages before it were written into the staging
# folder. Waits for the test to stop it (and gives up after ten minutes so no orphan runs forever).
PAUSE_HOOK = f"""
import os, time
from pathlib import Path

def on_post_page(output, page, config):
    if page.file.src_uri.startswith('thu-tuc/'):
        Path(config.config_file_path).with_name({PAUSED!r}).write_text(str(os.getpid()))
        end = time.monotonic() + 600
        while time.monotonic() < end:
            time.sleep(0.05)  # poll: held until the test stops this build
        raise RuntimeError('the test never stopped this build')
    return output
"""


def add_pause_hook(root: Path) -> Path:
    """Make builds of the project at root pause mid-way; returns the marker file the paused build writes."""
    (root / "pause_hook.py").write_text(PAUSE_HOOK, "utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - pause_hook.py\n", "utf-8")
    return root / PAUSED


def wait_until_paused(process: subprocess.Popen, marker: Path) -> int:
    """Block until the build has reached the pause (returns the pid it wrote); fail if it ended first."""

    def ended() -> str | None:
        if process.poll() is None:
            return None
        out, err = process.communicate()
        return f"the build ended (exit {process.returncode}) before reaching the pause:\n{out or ''}{err or ''}"

    wait_until(marker.exists, "the build reaches its pause", give_up=ended)
    return int(wait_until(marker.read_text, "the pause marker is written"))


def blocked_on_lock(pid: int, folder: Path) -> bool:
    """Whether process pid is waiting for a flock on folder (Linux /proc/locks marks waiters with "->")."""
    inode = folder.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" not in fields:
            continue
        kind, waiter, device = fields[fields.index("->") + 1], fields[fields.index("->") + 4], fields[fields.index("->") + 5]
        if kind == "FLOCK" and waiter == str(pid) and device.rsplit(":", 1)[-1] == str(inode):
            return True
    return False
