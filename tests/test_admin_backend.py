"""`build.py admin`: the browser editor's local backend answers on 127.0.0.1 only and never leaves content/.

The protocol is Decap's proxy protocol (decap-server's localFs middleware); the backend is ours
(thutuc/editor/admin_backend.py), so these tests hold it to what decap-server does and to what it does not do.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.local_api import free_port, post, start_admin

from conftest import FIXTURES, REPO, make_project
from thutuc.editor.admin_backend import LocalBackend

KHAI_SINH = "content/procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"


@pytest.fixture
def backend(tmp_path: Path) -> tuple[LocalBackend, Path, list[str]]:
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    said: list[str] = []
    return LocalBackend(project.root, "content", 1024 * 1024, log=said.append), project.root, said


def _persist(path: str, raw: str) -> dict:
    return {"action": "persistEntry", "params": {"branch": "main", "dataFiles": [{"slug": "x", "path": path, "raw": raw}],
                                                 "assets": [], "options": {"commitMessage": "x", "useWorkflow": False,
                                                                           "status": "draft"}}}


def test_reads_and_writes_as_decap_server_does(backend) -> None:
    server, root, said = backend
    assert server.handle({"action": "info"}) == (200, {"repo": "project", "publish_modes": ["simple"], "type": "local_fs"})
    status, entries = server.handle({"action": "entriesByFolder",
                                     "params": {"branch": "main", "folder": "content/procedures", "extension": "yml", "depth": 2}})
    assert status == 200 and KHAI_SINH in [e["file"]["path"] for e in entries]
    text = (root / KHAI_SINH).read_text("utf-8")
    status, entry = server.handle({"action": "getEntry", "params": {"branch": "main", "path": KHAI_SINH}})
    assert entry["data"] == text and len(entry["file"]["id"]) == 64
    changed = text.replace("title: Đăng ký khai sinh", "title: Đăng ký khai sinh mới")
    assert server.handle(_persist(KHAI_SINH, changed))[0] == 200
    assert (root / KHAI_SINH).read_text("utf-8") == changed
    assert any("Đã lưu content/procedures/ho-tich/" in line and "chưa xuất bản" in line for line in said)
    pdf = base64.b64encode(b"%PDF-1.4 test").decode()
    asset = {"path": "content/forms/ho-tich/moi.pdf", "content": pdf, "encoding": "base64"}
    status, media = server.handle({"action": "persistMedia", "params": {"branch": "main", "asset": asset,
                                                                         "options": {"commitMessage": "x"}}})
    assert status == 200 and media["name"] == "moi.pdf" and (root / asset["path"]).read_bytes() == b"%PDF-1.4 test"
    assert server.handle({"action": "deleteFile", "params": {"branch": "main", "path": asset["path"],
                                                             "options": {"commitMessage": "x"}}})[0] == 200
    assert not (root / asset["path"]).exists()


@pytest.mark.parametrize("path", [
    "mkdocs.yml", "content/../mkdocs.yml", "/etc/passwd", "content/procedures/../../mkdocs.yml", "content\\x.yml",
    "content/./procedures/x.yml", "contentx/a.yml",
])
def test_refuses_paths_outside_content(backend, path: str) -> None:
    server, root, _ = backend
    before = (root / "mkdocs.yml").read_bytes()
    assert server.handle(_persist(path, "title: x\n"))[0] == 422
    assert server.handle({"action": "getMediaFile", "params": {"branch": "main", "path": path}})[0] in (404, 422)
    assert server.handle({"action": "deleteFile", "params": {"branch": "main", "path": path,
                                                             "options": {"commitMessage": "x"}}})[0] == 422
    status, entry = server.handle({"action": "getEntry", "params": {"branch": "main", "path": path}})
    assert entry["data"] is None
    assert (root / "mkdocs.yml").read_bytes() == before


def test_refuses_links_out_of_content(backend, tmp_path: Path) -> None:
    server, root, _ = backend
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text("title: bí mật\n", "utf-8")
    (root / "content/procedures/lien-ket").symlink_to(outside, target_is_directory=True)
    (root / "content/procedures/ho-tich/link.yml").symlink_to(outside / "secret.yml")
    assert server.handle(_persist("content/procedures/lien-ket/moi.yml", "title: x\n"))[0] == 422
    assert not (outside / "moi.yml").exists()
    assert server.handle(_persist("content/procedures/ho-tich/link.yml", "title: x\n"))[0] == 422
    assert (outside / "secret.yml").read_text("utf-8") == "title: bí mật\n"
    status, entries = server.handle({"action": "entriesByFolder",
                                     "params": {"branch": "main", "folder": "content/procedures", "extension": "yml", "depth": 3}})
    assert all("bí mật" not in (e["data"] or "") for e in entries)
    link = {"action": "getEntry", "params": {"branch": "main", "path": "content/procedures/ho-tich/link.yml"}}
    assert server.handle(link)[1]["data"] is None


@pytest.mark.parametrize("raw, says", [
    ("title: [chưa đóng\n", "chưa lưu"),
    ("a: &x 1\nb: *x\n", "chưa lưu"),
    ("title: " + "x" * (1024 * 1024 + 10) + "\n", "tệp quá lớn"),
    ("title: \ud800\n", "UTF-8"),
])
def test_refuses_what_check_could_not_read(backend, raw: str, says: str) -> None:
    server, root, _ = backend
    before = (root / KHAI_SINH).read_bytes()
    status, answer = server.handle(_persist(KHAI_SINH, raw))
    assert status == 422 and says in answer["error"]
    assert (root / KHAI_SINH).read_bytes() == before


def test_refuses_media_of_other_kinds(backend) -> None:
    server, root, _ = backend
    for name, data in (("a.html", b"<script>"), ("b.pdf", b"x" * (1024 * 1024 + 1))):
        asset = {"path": f"content/forms/{name}", "content": base64.b64encode(data).decode(), "encoding": "base64"}
        assert server.handle({"action": "persistMedia", "params": {"branch": "main", "asset": asset,
                                                                    "options": {"commitMessage": "x"}}})[0] == 422
        assert not (root / "content/forms" / name).exists()


# -- the command ---------------------------------------------------------------------------------------


def _other_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (from `ip`, or the route a UDP socket would take)."""
    found: set[str] = set()
    try:
        listing = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True, timeout=10).stdout
        found.update(part.split("/")[0] for line in listing.splitlines() for part in line.split()[3:4])
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.255", 9))
            found.add(probe.getsockname()[0])
        except OSError:
            pass
    return sorted(a for a in found if a and not a.startswith("127.") and a != "0.0.0.0")


def _listening_addresses(port: int) -> list[str]:
    """Local addresses of the sockets listening on port, from /proc/net/tcp and tcp6 (Linux)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


@pytest.fixture
def admin_command(tmp_path: Path):
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    log = (tmp_path / "admin.log").open("w+", encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["THUTUC_ADMIN_ASSETS"] = str(REPO / ".cache" / "admin-assets")
    process, port = start_admin(project.root, log, environment)
    try:
        yield project.root, port, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_admin_answers_on_loopback_only(admin_command) -> None:
    root, port, log = admin_command
    status, info = post(f"http://127.0.0.1:{port}/api/v1", {"action": "info"})
    assert status == 200 and info["type"] == "local_fs"
    listening = _listening_addresses(port)
    if Path("/proc/net/tcp").exists():
        assert listening == ["0100007F"], f"listening on {listening}, not 127.0.0.1 only"
    for address in _other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=3).close()
    log.seek(0)
    output = log.read()
    assert f"Trình biên tập: http://127.0.0.1:{port}/admin/" in output
    assert "Không có màn hình đồ họa" in output  # no DISPLAY here: the address is printed, no browser opened


def test_admin_refuses_requests_from_other_pages(admin_command) -> None:
    root, port, _ = admin_command
    url = f"http://127.0.0.1:{port}/api/v1"
    before = (root / KHAI_SINH).read_bytes()
    body = _persist(KHAI_SINH, "title: x\n")
    assert post(url, body, {"Origin": "http://evil.example"})[0] == 403
    assert post(url, body, {"Host": f"rebound.example:{port}"})[0] == 403
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 415
    assert (root / KHAI_SINH).read_bytes() == before
    # The editor's config points at this server; the editor page gets no live-reload script.
    config = urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/config.yml", timeout=5).read().decode()
    assert f"url: http://127.0.0.1:{port}/api/v1" in config
    editor = urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/", timeout=5).read()
    assert b'rel="cms-config-url"' in editor and b"/__xem-truoc__/" not in editor


def test_admin_refuses_other_addresses(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    result = project.run("admin", "--address", f"0.0.0.0:{free_port()}")
    assert result.returncode == 2 and "chỉ chạy trên địa chỉ 127.0.0.1" in result.stderr
