"""`python3 build.py test`: every tool is there or the command stops, and the tiers pick what they say."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture
def build_py(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    spec = importlib.util.spec_from_file_location("build_py_under_test", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ADMIN_CACHE", tmp_path / "admin-assets")  # nothing fetched yet
    monkeypatch.setattr(module, "apt_install", lambda package, why: None)  # no system changes from a test
    return module


def _without(monkeypatch: pytest.MonkeyPatch, command: str, replacement: str | None = None) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: replacement if name == command else real(name))


def test_a_failed_editor_download_stops_the_test_command(build_py, monkeypatch, tmp_path: Path):
    failing = tmp_path / "npm"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    _without(monkeypatch, "npm", str(failing))
    with pytest.raises(SystemExit) as stopped:
        build_py.ensure_admin_assets(required=True)
    assert "Không tải được" in str(stopped.value.code) and "Bộ kiểm thử" in str(stopped.value.code)
    build_py.ensure_admin_assets()  # a build goes on without the editor: it only says so


@pytest.mark.parametrize("tool", ["java", "node", "npm"])
def test_a_missing_tool_stops_the_test_command(tool: str, build_py, monkeypatch):
    _without(monkeypatch, tool)
    with pytest.raises(SystemExit) as stopped:
        build_py.ensure_test_tools()
    assert f"Thiếu {tool}" in str(stopped.value.code)


def test_the_tiers_and_the_two_processes(build_py):
    assert build_py.pytest_arguments([]) == ["-n", "2", "--dist", "loadfile"]
    assert build_py.pytest_arguments(["--fast", "-x"]) == ["-m", "not slow and not browser", "-n", "2", "--dist", "loadfile", "-x"]
    assert build_py.pytest_arguments(["-n", "0", "tests/test_build.py"]) == ["-n", "0", "tests/test_build.py"]


def test_a_missing_tool_fails_under_the_test_command_and_skips_only_in_a_plain_run(monkeypatch):
    from support.required import STRICT_ENV, missing_tool

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(STRICT_ENV, "1")  # what build.py test sets
    with pytest.raises(pytest.fail.Exception):
        missing_tool("java is missing")
    monkeypatch.delenv(STRICT_ENV)
    with pytest.raises(pytest.skip.Exception):
        missing_tool("java is missing")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        missing_tool("java is missing")


def test_build_py_test_sets_the_strict_mode():
    from support.required import STRICT_ENV

    assert f'os.environ["{STRICT_ENV}"] = "1"' in (REPO / "build.py").read_text("utf-8")


def test_the_forked_cli_answers_like_a_new_python(minimal_project, monkeypatch):
    """Project.run forks the CLI from a helper (support/cli_runner.py): same output, same exit code, also
    for runs that end at once (a reply never waits behind another), and the test's environment applies."""
    import re
    import subprocess
    import sys

    def seen(result: subprocess.CompletedProcess) -> tuple:
        timeless = [re.sub(r"\d+,\d+ giây", "… giây", text) for text in (result.stdout, result.stderr)]
        return result.returncode, *timeless

    for args in (["--help"], ["khong-co-lenh"], ["check"]):
        forked = minimal_project.run(*args)
        fresh = subprocess.run([sys.executable, "-m", "thutuc.host.cli", *args], cwd=minimal_project.root,
                               capture_output=True, text=True, timeout=600)
        assert seen(forked) == seen(fresh), args
    for _ in range(20):
        assert minimal_project.run("--help").returncode == 0
    stats = minimal_project.root / "stats.json"
    monkeypatch.setenv("THUTUC_STATS_JSON", str(stats))  # read by the build when it ends
    assert minimal_project.build().returncode == 0
    assert "timings" in stats.read_text("utf-8")
