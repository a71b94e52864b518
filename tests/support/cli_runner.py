"""Run the editors' CLI as `python -m thutuc.host.cli` would, without paying Python's start-up for every run.

The suite runs the CLI hundreds of times (every bad input is a real build that must refuse it), and most
of a failing build's time was starting Python and importing MkDocs, Material and the plugin. A helper
process imports those once, single-threaded and before running anything, then forks a fresh child for
each run: the child changes to the project folder, takes the test's environment, sends its output to
files and runs thutuc.host.cli as __main__, exactly like `python -m thutuc.host.cli`. Children never share state:
each is a copy of a process that has only imported modules. Tests that signal or race builds start
their own processes (their pid must be the build's).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Imported once in the helper: the plugin and what a build imports on top of it (found with sys.modules).
PRELOAD = [
    "markdown.extensions.attr_list", "markdown.extensions.codehilite", "markdown.extensions.fenced_code",
    "markdown.extensions.sane_lists", "markdown.extensions.tables", "material", "material.templates",
    "mkdocs.commands.build", "mkdocs.config.defaults", "pygments.formatters", "pygments.lexers",
]

_HELPER = r"""
import importlib, json, os, pkgutil, runpy, sys, threading, traceback
import thutuc
for info in pkgutil.walk_packages(thutuc.__path__, "thutuc."):
    importlib.import_module(info.name)
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
# fork() copies only the calling thread: a helper with other threads could hand children held locks.
assert threading.active_count() == 1, threading.enumerate()
reply = os.fdopen(os.dup(1), "w")
null = os.open(os.devnull, os.O_RDWR)
for line in sys.stdin:
    request = json.loads(line)
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            os.dup2(null, 0)
            for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            sys.argv = ["thutuc.host.cli", *request["args"]]
            sys.modules.pop("thutuc.host.cli", None)  # run as __main__, as -m does, not the imported copy
            try:
                runpy.run_module("thutuc.host.cli", run_name="__main__", alter_sys=True)
                code = 0
            except SystemExit as stop:
                if stop.code is None or isinstance(stop.code, int):
                    code = stop.code or 0
                else:
                    print(stop.code, file=sys.stderr)
            except BaseException:
                traceback.print_exc()
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            finally:
                os._exit(code)
    reply.write(json.dumps({"pid": pid}) + "\n"); reply.flush()
    _, status = os.waitpid(pid, 0)
    reply.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n"); reply.flush()
"""


class CliRunner:
    """One forking helper per test process; run() is subprocess.run(capture_output=True, text=True) for the CLI."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._helper: subprocess.Popen | None = None
        self._pending = b""

    def _start(self) -> subprocess.Popen:
        if self._helper is None or self._helper.poll() is not None:
            self._helper = subprocess.Popen(
                [sys.executable, "-c", _HELPER, json.dumps(PRELOAD)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
            self._pending = b""
        return self._helper

    def _read(self, helper: subprocess.Popen, timeout: float) -> dict:
        """The helper's next reply line. Read from the pipe itself, not through a buffered file: a buffer
        could hold the next reply already while select() waits on an empty pipe."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([helper.stdout], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(helper.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the CLI helper process stopped answering")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return json.loads(line)

    def run(self, args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        with self._lock, tempfile.TemporaryDirectory(prefix="cli-run-") as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            helper = self._start()
            helper.stdin.write(json.dumps({"cwd": str(cwd), "args": args, "env": dict(os.environ),
                                           "stdout": str(out), "stderr": str(err)}) + "\n")
            helper.stdin.flush()
            pid = self._read(helper, timeout)["pid"]  # the first run waits for the imports
            try:
                code = self._read(helper, timeout)["code"]
            except TimeoutError:
                os.kill(pid, 9)
                self._read(helper, 60)
                raise subprocess.TimeoutExpired(["thutuc.host.cli", *args], timeout) from None
            return subprocess.CompletedProcess(
                [sys.executable, "-m", "thutuc.host.cli", *args], code,
                out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
            )

    def close(self) -> None:
        if self._helper is not None and self._helper.poll() is None:
            self._helper.stdin.close()
            self._helper.wait(timeout=60)
        self._helper = None
