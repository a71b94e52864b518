"""The officer's day in the browser editor, started with the project's own command (`build.py admin`).

Edit a fee and add a step to a procedure, edit a local overlay, save each: the git diff holds exactly
those lines, the backend says in Vietnamese what it wrote, and `check` passes. Deleting asks first.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.local_api import start_admin

from conftest import REPO, SAMPLE_CONTENT, make_project

ASSETS = REPO / ".cache" / "admin-assets"
KHAI_SINH = "content/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
OVERLAY = "content/overlays/1.002755.yml"
OVERLAY_TEXT = """\
# Bổ sung địa phương: thời hạn và lệ phí theo Nghị quyết của HĐND tỉnh Mẫu
methods:
  - channel: direct
    processing_time: 02 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
    fees:
      - kind: fee
        amount: 15000
        text: Theo Nghị quyết của HĐND tỉnh
  - channel: online
    processing_time: 02 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
    fees:
      - kind: fee
        amount: 7000
        text: Theo Nghị quyết của HĐND tỉnh
"""
WAIT_MS = 30_000


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def officer(tmp_path: Path):
    """A fresh project under git with `admin` running in it; yields (root, base URL, log)."""
    if not any(ASSETS.glob("decap-cms-*/.complete")):
        pytest.skip("Decap CMS chưa được tải (python3 build.py test tải bằng npm).")
    project = make_project(tmp_path / "project", SAMPLE_CONTENT)
    (project.root / OVERLAY).parent.mkdir(parents=True)
    (project.root / OVERLAY).write_text(OVERLAY_TEXT, "utf-8")
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-A")
    _git(project.root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["THUTUC_ADMIN_ASSETS"] = str(ASSETS)
    log = (tmp_path / "admin.log").open("w+", encoding="utf-8")
    process, port = start_admin(project.root, log, environment)
    base = f"http://127.0.0.1:{port}/"
    try:
        yield project, base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _open(page, base: str, collection: str, summary: str) -> None:
    """As an officer does: the collection's list, then the entry (Decap keeps the open entry's form when
    only the address changes from one entry to another)."""
    page.goto(f"{base}admin/#/collections/{collection}")
    page.get_by_text(summary).first.click()
    page.get_by_text("Đang sửa trong").first.wait_for(timeout=WAIT_MS)


def _expand(page, summary: str) -> None:
    """Open the innermost list item whose collapsed row starts with summary."""
    item = page.locator("[class*='listControlItem']", has=page.get_by_text(summary)).last
    item.get_by_role("button", name="Mở hoặc thu gọn").first.click()


def _save(page) -> None:
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Lưu vào tệp").click()
    page.get_by_text("Đã lưu tệp vào thư mục content/").first.wait_for(timeout=WAIT_MS)


def test_officer_edits_a_fee_adds_a_step_and_edits_an_overlay(officer, chromium_browser) -> None:
    project, base, log = officer
    root = project.root
    page = chromium_browser.new_page(viewport={"width": 1280, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    try:
        page.goto(base + "admin/")
        page.get_by_role("button", name="Vào trình biên tập").click()

        # A procedure: the direct channel's fee becomes 8,000 đồng, and a step is added at the end.
        _open(page, base, "procedures", "1.001193 – Đăng ký khai sinh")
        _expand(page, "Trực tiếp – Ngay trong ngày")
        _expand(page, "Lệ phí: Miễn lệ phí")
        page.get_by_label("Số tiền (đồng)").first.fill("8000")
        page.get_by_role("button", name="Thêm bước").click()
        page.get_by_label("Tên bước").last.fill("Nhận thẻ bảo hiểm y tế của trẻ")
        _save(page)

        # The local overlay: the online fee becomes 5,000 đồng.
        _open(page, base, "overlays", "Bổ sung cho thủ tục 1.002755")
        _expand(page, "Trực tuyến – 02 ngày")
        _expand(page, "Lệ phí: 7.000 đồng")
        page.get_by_label("Số tiền (đồng)").last.fill("5000")
        _save(page)

        # Deleting asks first, and says what it does; refusing keeps the file.
        messages: list[str] = []
        page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
        page.get_by_role("button", name="Xóa tệp").click()
        assert messages and "Xóa hẳn tệp này khỏi thư mục content/" in messages[0]
    except Exception:
        page.screenshot(path=str(root.parent / "failure.png"), full_page=True)
        print("dialogs:", dialogs, "screenshot:", root.parent / "failure.png")
        raise
    finally:
        page.close()

    assert (root / OVERLAY).exists()
    diff = _git(root, "diff", "--unified=0", "--no-color")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-        amount: 7000",  # content/overlays/1.002755.yml
        "+        amount: 5000",
        "+  - title: Nhận thẻ bảo hiểm y tế của trẻ",  # content/procedures/ho-tich/1.001193-….yml
        "-        amount: 0",
        "+        amount: 8000",
    ], diff
    assert _git(root, "status", "--porcelain", "--", "content").split() == ["M", OVERLAY, "M", KHAI_SINH]
    log.seek(0)
    output = log.read()
    assert f"Đã lưu {KHAI_SINH}" in output and f"Đã lưu {OVERLAY}" in output, output
    assert "Traceback" not in output, output
    check = project.run("check")
    assert check.returncode == 0, check.stderr
