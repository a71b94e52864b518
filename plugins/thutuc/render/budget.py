"""Time limits on rendering Markdown: per text, per file and per build.

Validation refuses what Python-Markdown renders in super-linear time (markdown_render.markdown_hazard);
these limits stop whatever slips by. Each text has its own limit, and the texts of one file (a
procedure's fields, an ordinary page) and of one build share a budget, so many slow texts just under
the per-text limit cannot add up to an hour. Only texts longer than GUARDED_LENGTH are timed and
counted: shorter ones render in milliseconds. SIGALRM: POSIX main thread only.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

FILE_SECONDS = 20.0
BUILD_SECONDS = 120.0
GUARDED_LENGTH = 1000  # arming a timer costs ~25 µs a call
_HINT = "Gợi ý: tìm đoạn này trong nội dung, bớt các dấu [ ( > * _ ` liên tiếp hoặc viết chúng với dấu \\ phía trước."


class MarkdownTooSlow(Exception):
    """Rendering ran past a limit; `source` names the content file when known."""

    def __init__(self, message: str, source: str = "") -> None:
        super().__init__(message)
        self.message, self.source = message, source

    def located(self, source: str) -> MarkdownTooSlow:
        return self if self.source or not source else MarkdownTooSlow(self.message, source)

    def line(self) -> str:
        """The editor's line: `file:1:1: (tệp): message` as every other content error."""
        return f"{self.source}:1:1: (tệp): {self.message}" if self.source else self.message


class _Spent:
    build = 0.0
    file = 0.0


def start_build() -> None:
    """A new build: its texts share BUILD_SECONDS again."""
    _Spent.build = 0.0


@contextmanager
def file_budget() -> Iterator[None]:
    """The texts rendered inside share FILE_SECONDS (one procedure page, one ordinary page)."""
    previous, _Spent.file = _Spent.file, 0.0
    try:
        yield
    finally:
        _Spent.file = previous


def _guardable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def guard(text: str, seconds: float) -> Iterator[None]:
    """Raise MarkdownTooSlow when rendering text runs past seconds or past what is left of the budgets."""
    if len(text) <= GUARDED_LENGTH or not _guardable():
        yield
        return
    start = " ".join(text[:60].split())
    limits = [
        (seconds, f"đoạn Markdown bắt đầu bằng “{start}” mất hơn {seconds:g} giây để hiển thị nên bị dừng."),
        (FILE_SECONDS - _Spent.file, f"các đoạn Markdown của tệp này mất tổng cộng hơn {FILE_SECONDS:g} giây để hiển thị "
                                     f"nên bị dừng (ở đoạn bắt đầu bằng “{start}”)."),
        (BUILD_SECONDS - _Spent.build, f"các đoạn Markdown của cả trang web mất tổng cộng hơn {BUILD_SECONDS:g} giây để "
                                       f"hiển thị nên bị dừng (ở đoạn bắt đầu bằng “{start}”)."),
    ]
    limit, message = min(limits, key=lambda item: item[0])
    if limit <= 0:
        raise MarkdownTooSlow(f"{message} {_HINT}")

    def expire(signum, frame):  # noqa: ANN001 - signal handler signature
        raise MarkdownTooSlow(f"{message} {_HINT}")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        spent = time.perf_counter() - started
        _Spent.file += spent
        _Spent.build += spent
