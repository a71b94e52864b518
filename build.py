#!/usr/bin/env python3
"""The one entry point for people: set up, build, check, preview and test the catalogue.

    python3 build.py            set up .venv if needed, check the content and build the site into site/
    python3 build.py check      check the content only
    python3 build.py serve      preview at http://127.0.0.1:8000/ with live reload
    python3 build.py test       set up test tools and run the whole test suite

Standard library only until the virtual environment exists: it must run on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".thutuc-installed"
CHROMIUM = Path("/usr/bin/chromium")
MIN_PYTHON = (3, 11)


def say(message: str) -> None:
    print(message, flush=True)


def _install_fingerprint(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(extras.encode())
    return digest.hexdigest()


def ensure_environment(with_tests: bool = False) -> None:
    """Create .venv and install the project with its pinned dependencies, once per pyproject change."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"Cần Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} trở lên (đang dùng {sys.version.split()[0]}).")
    extras = "[test]" if with_tests else ""
    if not PYTHON.exists():
        say("Đang tạo môi trường Python riêng (.venv)…")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    wanted = _install_fingerprint(extras)
    installed = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in installed:
        return
    say("Đang cài đặt các gói cần thiết (chỉ lần đầu hoặc khi pyproject.toml thay đổi)…")
    command = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".{extras}"]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        sys.exit("Cài đặt thất bại: kiểm tra kết nối tới kho gói PyPI rồi chạy lại.")
    STAMP.write_text(" ".join(installed + [wanted]))


def ensure_browser() -> None:
    """Browser tests drive Debian's Chromium; install it when we can (root with apt), else explain."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("Đang cài Chromium cho các bài kiểm tra trên trình duyệt (apt-get install chromium)…")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
    if not CHROMIUM.exists():
        sys.exit("Thiếu trình duyệt Chromium (/usr/bin/chromium): cài bằng lệnh 'sudo apt-get install chromium' rồi chạy lại.")


def run_in_venv(args: list[str]) -> int:
    return subprocess.run([str(PYTHON), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    rest = argv[1:]
    if command in ("-h", "--help", "help"):
        say(__doc__.strip())
        return 0
    if command == "test":
        ensure_environment(with_tests=True)
        ensure_browser()
        return run_in_venv(["-m", "pytest", *rest])
    ensure_environment()
    if command in ("build", "check", "serve"):
        return run_in_venv(["-m", "thutuc.cli", command, *rest])
    say(f"Lệnh không rõ: {command}. Dùng: build, check, serve, test.")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
