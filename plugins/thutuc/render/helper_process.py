"""A second process for work that can run beside page rendering (search index, link scanning).

The machine that builds a catalogue usually has more than one core while MkDocs renders on one. The
helper must never outlive the build: if the build is killed (even with SIGKILL) the kernel kills the
helper too, so no orphan keeps the build's output pipes open or burns CPU.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own EOF handling has to do
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def start_helper() -> ProcessPoolExecutor:
    """One worker process, started fresh ("spawn": safe even if the build process has threads)."""
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
