"""Waiting without timing luck: poll for the state a test needs, with a deadline.

Tests never sleep a fixed time and hope: they poll, with a deadline generous enough for two busy cores,
treat the errors that mean "not yet" (a server still starting: refused, timed out, reset) as such, and
stop at once when what they wait on can no longer happen (the process died).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

# Deadlines check that something happens, not how fast (speed lives in benchmarks/).
DEADLINE = 300.0


def wait_until(
    condition: Callable[[], T],
    what: str,
    *,
    deadline: float = DEADLINE,
    retry_on: tuple[type[BaseException], ...] = (),
    give_up: Callable[[], str | None] | None = None,
    interval: float = 0.02,
) -> T:
    """Poll condition() until it returns something truthy, and return that.

    retry_on: exceptions that mean "not yet", caught and polled again (for a server that is starting:
    OSError, which covers refused connections, TimeoutError and urllib's URLError). give_up: called between polls;
    a non-empty string ends the wait at once with that explanation (e.g. the process died)."""
    end = time.monotonic() + deadline
    last_error: BaseException | None = None
    while True:
        try:
            value = condition()
        except retry_on as error:
            value, last_error = None, error  # type: ignore[assignment]
        if value:
            return value
        if give_up is not None:
            reason = give_up()
            if reason:
                pytest.fail(f"{what}: {reason}", pytrace=False)
        if time.monotonic() > end:
            detail = f" (last error: {last_error!r})" if last_error else ""
            pytest.fail(f"{what}: not within {deadline:.0f} s{detail}", pytrace=False)
        time.sleep(interval)  # poll
