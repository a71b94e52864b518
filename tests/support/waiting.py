"""Waiting without timing luck: poll a condition until a deadline, and start servers on a free port.

Tests never sleep a fixed time and hope: they poll for the state they need, with a deadline generous
enough for two busy cores, and retry on the errors a server gives while it is still starting
(connection refused, a read that times out, a 5xx answer).
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")

# Deadlines check that something happens, not how fast (speed lives in benchmarks/).
DEADLINE = 300.0
# Errors of a server that is starting, busy or restarting: try again. TimeoutError and socket.timeout
# are OSError subclasses, and urllib.error.URLError/HTTPError are too.
RETRY_ERRORS: tuple[type[BaseException], ...] = (OSError, ConnectionError, TimeoutError)


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

    retry_on: exceptions that mean "not yet" (caught and polled again). give_up: called between polls;
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
        time.sleep(interval)


def http_get(url: str, timeout: float = 30) -> bytes:
    """The body of url (raises on a connection error, a timeout or an HTTP error status)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_for_http(url: str, what: str, *, process: subprocess.Popen | None = None,
                  log: Path | None = None, deadline: float = DEADLINE) -> bytes:
    """Poll url until it answers 200; fail at once if process (the server) exits, quoting its log."""

    def ended() -> str | None:
        if process is None or process.poll() is None:
            return None
        return f"the server exited with {process.returncode}:\n" + (log.read_text("utf-8", "replace") if log else "")

    return wait_until(lambda: http_get(url), what, deadline=deadline, retry_on=(*RETRY_ERRORS, urllib.error.URLError),
                      give_up=ended)


def port_in_use(error_text: str) -> bool:
    """Whether a server's output says its port was taken (by another process, between probe and bind)."""
    lowered = error_text.lower()
    return "address already in use" in lowered or "errno 98" in lowered


def free_port() -> int:
    """A port the OS considers free right now. Another process may take it before our server binds it:
    use start_on_free_port, which retries on a different port when that happens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_on_free_port(start: Callable[[int], subprocess.Popen], ready: Callable[[int, subprocess.Popen], object],
                       output: Callable[[], str], attempts: int = 5) -> tuple[subprocess.Popen, int]:
    """Start a server on a free port and wait until it is ready; when its port was taken between the probe
    and the bind (other test runs share the machine), start again on another port.

    start(port) starts the server; ready(port, process) waits until it serves (and fails the test when the
    process ends); output() reads what the server printed so far."""
    for _ in range(attempts):
        port = free_port()
        process = start(port)
        try:
            ready(port, process)
            return process, port
        except pytest.fail.Exception:
            if process.poll() is not None and port_in_use(output()):
                continue
            raise
    pytest.fail(f"no free port after {attempts} attempts", pytrace=False)
