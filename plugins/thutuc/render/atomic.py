"""Publish a site all at once or not at all.

A build writes into `<site>.building-<pid>` next to the site and is swapped in with two renames only
when every phase succeeded. A build stopped by Ctrl+C or SIGTERM removes its folder; one killed
outright (SIGKILL, power cut) leaves it behind, and the next build removes it. No MkDocs imports.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

STAGING_MARK = ".building-"
OLD_SUFFIX = ".old"
# Tests set "<point>:<folder>" to hold a build at a named point (see pause_point); never set otherwise.
PAUSE_ENV = "THUTUC_TEST_PAUSE"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def staging_dir(target: Path) -> Path:
    """The folder this process builds into, next to the target so the final rename stays on one disk."""
    return target.with_name(f"{target.name}{STAGING_MARK}{os.getpid()}")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what killed builds left next to target; returns the removed folders.

    A build that is still running (its process is alive) keeps its folder. If a kill landed between
    the two renames of a swap, the previous site is waiting under `<site>.old`: put it back.
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    old = target.with_name(target.name + OLD_SUFFIX)
    with folder_locked(target.parent):
        if old.is_dir() and not target.exists():
            old.rename(target)
        elif old.is_dir():  # the swap finished but its clean-up did not
            shutil.rmtree(old, ignore_errors=True)
        for folder in sorted(target.parent.glob(f"{target.name}{STAGING_MARK}*")):
            pid_text = folder.name.rsplit("-", 1)[-1]
            if pid_text.isdigit() and int(pid_text) != os.getpid() and _process_alive(int(pid_text)):
                continue
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                folder.unlink(missing_ok=True)
            removed.append(folder)
    return removed


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM until the block ends, so a swap or a clean-up is never cut in half."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def folder_locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder holding the site, so two builds never swap at the same time.

    The lock is on the directory itself (flock), so no lock file is left next to the site.
    """
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def pause_point(name: str) -> None:
    """Hold this process at a named point while a test arranges a race, so the race never depends on luck.

    With THUTUC_TEST_PAUSE="<name>:<folder>", write <folder>/<name>.reached and wait for <folder>/<name>.go.
    """
    point, _, folder = os.environ.get(PAUSE_ENV, "").partition(":")
    if point != name or not folder:
        return
    (Path(folder) / f"{name}.reached").write_text(str(os.getpid()))
    deadline = time.monotonic() + 600
    while not (Path(folder) / f"{name}.go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{PAUSE_ENV}: nobody released the pause at {name!r}")
        time.sleep(0.01)


def swap_in(built: Path, target: Path, *, site: bool = True) -> None:
    """Replace target with built; readers see the old site or the new one, never a mix.

    Ctrl+C and SIGTERM wait until the previous site is removed too: a stop that arrives during the swap
    is raised after it, with the new site published and nothing left behind (see `swapped`).
    site=False for folders swapped before the site (deploy/): the tests' pause points stand for the site's swap.
    """
    old = target.with_name(target.name + OLD_SUFFIX)
    with folder_locked(target.parent), signals_blocked():
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            target.rename(old)
        if site:
            pause_point("swap")  # between the two renames: where another build must not swap
        try:
            built.rename(target)
        except OSError:
            if old.exists() and not target.exists():
                old.rename(target)  # put the previous site back before reporting the failure
            raise
        if site:
            pause_point("swapped")  # the new site is in place, the old one not yet removed
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)


def swapped(built: Path, target: Path) -> bool:
    """True once swap_in has put built in place (the staging folder is gone and the site is there)."""
    return not built.exists() and target.is_dir()


def discard(staging: Path) -> None:
    """Remove a failed or interrupted build's folder, without being interrupted again."""
    with signals_blocked():
        shutil.rmtree(staging, ignore_errors=True)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager or CI stopping the build) unwinds like Ctrl+C, so clean-up runs."""
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
