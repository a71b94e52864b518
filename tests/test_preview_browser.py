"""`build.py serve` in a real browser: a saved edit reloads the open page by itself, an error shows as a
banner on the page (the last good version stays), and fixing it removes the banner."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, make_project

PAGE = "thu-tuc/dang-ky-khai-sinh-1-001193/"
KHAI_SINH = "content/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
WAIT_MS = 30_000  # generous: this checks that the page updates itself, not how fast (see benchmarks/)


def _start(root: Path, log) -> tuple[subprocess.Popen, str]:
    """`serve` on a port the system picks (port 0: bound by the server itself, never released to a
    race); returns the process and the address it prints once its first build is done."""
    process = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "serve", "--address", "127.0.0.1:0"],
                               cwd=root, stdout=log, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        log.seek(0)
        found = re.search(r"Xem trước tại (http://\S+/) ", log.read())
        if found:
            return process, found.group(1)
        time.sleep(0.1)  # poll
    log.seek(0)
    process.terminate()
    process.wait(timeout=30)
    pytest.fail("serve did not start:\n" + log.read())


def _fetch(url: str, deadline: float) -> tuple[int, str]:
    """Status and text of url; retries while the server does not answer (refused, timed out, reset)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # poll


@pytest.fixture
def serving(tmp_path: Path):
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    process, base = _start(project.root, log)
    try:
        status, _ = _fetch(base + PAGE, time.monotonic() + 60)
        assert status == 200
        yield project.root, base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_saving_a_procedure_updates_the_open_page(serving, chromium_browser):
    root, base, log = serving
    file = root / KHAI_SINH
    good = file.read_text("utf-8")
    page = chromium_browser.new_page()
    try:
        page.goto(base + PAGE)
        assert "Chậm nhất trong 2 tuần" not in page.content()
        file.write_text(good.replace("processing_time:", "processing_time: Chậm nhất trong 2 tuần;", 1), "utf-8")
        page.get_by_text("Chậm nhất trong 2 tuần").first.wait_for(timeout=WAIT_MS)

        # An error: the page reloads with a banner naming the file and line; the content stays.
        file.write_text(good.replace("level: 2", "level: 7", 1), "utf-8")
        banner = page.get_by_role("alert").filter(has_text="Bản xem trước chưa cập nhật")
        banner.wait_for(timeout=WAIT_MS)
        assert "1.001193-dang-ky-khai-sinh.yml" in banner.inner_text()
        assert page.get_by_text("Chậm nhất trong 2 tuần").count() > 0

        file.write_text(good, "utf-8")
        banner.wait_for(state="detached", timeout=WAIT_MS)
        assert page.get_by_text("Chậm nhất trong 2 tuần").count() == 0
    finally:
        page.close()
    log.seek(0)
    output = log.read()
    assert "Đã cập nhật bản xem trước" in output, output
    assert "Traceback" not in output, output


def test_a_preview_that_starts_broken_explains_and_recovers(tmp_path: Path):
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    file = project.root / KHAI_SINH
    good = file.read_text("utf-8")
    file.write_text(good.replace("level: 2", "level: 7", 1), "utf-8")
    with (tmp_path / "serve.log").open("w+", encoding="utf-8") as log:
        process, base = _start(project.root, log)
        try:
            deadline = time.monotonic() + 120
            status, body = _fetch(base, deadline)
            assert status == 503, "a broken catalogue must not be served as a site"
            assert "Chưa có bản xem trước" in body and "1.001193-dang-ky-khai-sinh.yml" in body
            assert "/__xem-truoc__/reload.js" in body  # reloads by itself once fixed
            file.write_text(good, "utf-8")
            while True:  # the fix is seen within a poll and a build; until then the same 503 page
                status, body = _fetch(base + PAGE, deadline)
                if status == 200:
                    break
                assert time.monotonic() < deadline, "the preview did not recover after the fix"
                time.sleep(0.2)  # poll
            assert "Đăng ký khai sinh" in body
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.parametrize("command", ["serve", "admin"])
def test_a_busy_port_is_named_before_building(tmp_path: Path, command: str):
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "thutuc.host.cli", command, "--address", f"127.0.0.1:{port}"],
                                cwd=project.root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"Cổng {port} trên 127.0.0.1 đang được dùng" in result.stderr
    assert f"python3 build.py {command} --address 127.0.0.1:{port + 1}" in result.stderr  # the command to type again
    assert "Đang xây dựng" not in result.stdout
