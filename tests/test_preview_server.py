"""The preview's own web server (preview_server.py): pages get the reload script (a file, under the
production CSP) and the problem banner, a waiting page hears about the next build at once, and
nothing outside the preview folder is served."""

from __future__ import annotations

import http.client
import json
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from thutuc.editor.admin_backend import API_PATH, LocalBackend, wsgi_answer
from thutuc.preview.http_server import CSP, PreviewServer

PAGE = b"<!doctype html><html lang=vi><head><title>T</title></head><body><p>Trang</p></body></html>"


@pytest.fixture
def server(tmp_path: Path):
    site = tmp_path / "site"
    (site / "thu-tuc/a").mkdir(parents=True)
    (site / "thu-tuc/a/index.html").write_bytes(PAGE)
    (site / "404.html").write_bytes(PAGE.replace(b"Trang", b"Kh\xc3\xb4ng c\xc3\xb3"))
    (tmp_path / "secret.txt").write_text("bí mật", "utf-8")
    preview = PreviewServer("127.0.0.1", 0, site, "/")  # port 0: the system's, bound here and kept
    serving = threading.Thread(target=preview.serve_forever, daemon=True)
    serving.start()
    try:
        yield preview
    finally:
        preview.shutdown()
        preview.server_close()


def _get(server: PreviewServer, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_pages_get_the_reload_script_under_the_strict_csp(server):
    response = _get(server, "/thu-tuc/a/")
    assert response.status == 200
    assert response.getheader("Content-Security-Policy") == CSP
    assert response.getheader("Cache-Control") == "no-store"
    assert b'<script src="/__xem-truoc__/reload.js" data-ban="0" defer></script></body>' in response.body
    assert b"<script>" not in response.body and b"style=" not in response.body  # nothing inline
    script = _get(server, "/__xem-truoc__/reload.js")
    assert script.status == 200 and script.getheader("Content-Type").startswith("text/javascript")
    assert b"location.reload()" in script.body


def test_a_waiting_page_hears_of_the_next_build_at_once(server):
    answers: list[bytes] = []
    waiting = threading.Thread(target=lambda: answers.append(_get(server, "/__xem-truoc__/doi?ban=0").body))
    waiting.start()
    deadline = time.monotonic() + 10
    while server.waiting == 0:  # the poll is waiting: the build must wake it, not its 20 s timeout
        assert time.monotonic() < deadline, "the long poll did not start"
        time.sleep(0.01)  # poll
    server.publish(("nội dung có lỗi", "a.yml:3:1: level: sai"))
    waiting.join(timeout=10)
    assert answers == [b"1"]
    assert _get(server, "/__xem-truoc__/doi?ban=0").body == b"1"  # a page from before: reload now
    page = _get(server, "/thu-tuc/a/").body
    assert b'role="alert"' in page and b"a.yml:3:1: level: sai" in page
    assert b'data-ban="1"' in page
    server.publish(("", ""))
    assert b'role="alert"' not in _get(server, "/thu-tuc/a/").body


def test_missing_and_outside_paths_get_the_404_page(server):
    for path in ("/khong-co/", "/../secret.txt", "/thu-tuc/%2e%2e/%2e%2e/../secret.txt"):
        response = _get(server, path)
        assert response.status == 404, path
        assert "Không có".encode() in response.body and "bí mật".encode() not in response.body
    redirect = _get(server, "/thu-tuc/a")
    assert redirect.status == 301 and redirect.getheader("Location") == "/thu-tuc/a/"
    (server.site_dir / "thủ-tục").mkdir()
    redirect = _get(server, "/th%E1%BB%A7-t%E1%BB%A5c")  # a folder typed with its diacritics
    assert redirect.status == 301 and redirect.getheader("Location") == "/th%E1%BB%A7-t%E1%BB%A5c/"


def test_the_editor_backend_is_answered_and_the_editor_page_not_reloaded(server, tmp_path):
    """build.py admin: POST /api/v1 reaches the editor's backend with its Host and Origin checks; the
    editor's page (Decap CMS) gets no reload script, which would lose unsaved work after each save."""
    project = tmp_path / "project"
    (project / "content/procedures").mkdir(parents=True)
    port = server.server_address[1]
    server.api = partial(wsgi_answer, LocalBackend(project), port=port, max_body=1024)
    server.api_path = API_PATH

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/api/v1", body, {"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        answer = response.status, json.loads(response.read())
        connection.close()
        return answer

    info = json.dumps({"action": "info"}).encode()
    assert post(info, {})[1]["type"] == "local_fs"
    assert post(info, {"Origin": "http://evil.example"})[0] == 403
    assert post(info, {"Host": f"rebound.example:{port}"})[0] == 403
    assert post(b"x" * 2048, {})[0] == 413
    assert _get(server, "/api/v1").status == 405
    (server.site_dir / "admin").mkdir()
    (server.site_dir / "admin/index.html").write_bytes(PAGE.replace(b"</head>", b'<link rel="cms-config-url" href="c.yml"></head>'))
    editor = _get(server, "/admin/")
    assert editor.status == 200 and b"__xem-truoc__" not in editor.body
    assert editor.getheader("Content-Security-Policy") is None  # Decap's app is exempt, as on a real host
