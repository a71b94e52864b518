"""Talking to `build.py admin` from tests: starting it, and one JSON request to the editor's backend."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TextIO

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, body: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    """(status, JSON answer) of a POST as Decap sends it."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def start_admin(root: Path, log: TextIO, environment: dict[str, str], seconds: float = 180) -> tuple[subprocess.Popen, int]:
    """`admin` on port 0 (bound by the server itself, never released to a race) in root; returns the
    process and the port it prints, once the backend answers."""
    process = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "admin", "--address", "127.0.0.1:0"],
                               cwd=root, stdout=log, stderr=subprocess.STDOUT, text=True, env=environment)
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        # Read through another handle: seeking the one the process writes to would move its offset.
        found = re.search(r"Trình biên tập: http://127\.0\.0\.1:(\d+)/admin/", Path(log.name).read_text("utf-8"))
        if found:
            try:
                if post(f"http://127.0.0.1:{found[1]}/api/v1", {"action": "info"})[0] == 200:
                    return process, int(found[1])
            except OSError:  # refused, reset or timed out while it starts: try again until the deadline
                pass
        time.sleep(0.2)  # poll
    process.terminate()
    process.wait(timeout=30)
    pytest.fail("admin did not start:\n" + Path(log.name).read_text("utf-8"))
