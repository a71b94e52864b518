"""The preview's own web server (standard library): serves the preview folder, reloads open pages.

Every HTML page it serves gets a `<script src>` (the site's strict CSP allows no inline script, and
the server sends that CSP as a real host does) that long-polls /__xem-truoc__/doi with the build
number the page was served at; the answer comes as soon as a newer build is visible, and the page
reloads. While a content or template problem is open, every page also gets a banner naming it.
The browser editor's page gets neither (reloading it would lose the officer's unsaved work); with
`build.py admin` the server also answers the editor's local backend (admin_backend.py) at /api/v1.
"""

from __future__ import annotations

import html
import mimetypes
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

PREFIX = "/__xem-truoc__/"  # the server's own files; never a path of the site (site paths are slugs)
CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
EXEMPT_PREFIXES = ("admin/",)  # Decap CMS runs a third-party editor app, exempt as on a real host
LONG_POLL_SECONDS = 20.0

RELOAD_JS = b"""// Live reload of the preview (python3 build.py serve): wait for the next build, then reload.
(function () {
  "use strict";
  var built = document.currentScript.getAttribute("data-ban");
  function wait() {
    fetch("/__xem-truoc__/doi?ban=" + built, {cache: "no-store"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (now) { if (now !== built) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });  // the preview restarts or stops: try again
  }
  wait();
})();
"""
BANNER_CSS = b""".xem-truoc-loi{background:#fff3cd;color:#1d1d1d;border-bottom:4px solid #b00020;padding:1rem;
font:1rem/1.5 sans-serif;white-space:pre-wrap;overflow-wrap:anywhere}
"""
_OWN_FILES = {"reload.js": (RELOAD_JS, "text/javascript"), "xem-truoc.css": (BANNER_CSS, "text/css")}
_BANNER = (
    f'<link rel="stylesheet" href="{PREFIX}xem-truoc.css"><div role="alert" class="xem-truoc-loi">'
    "<strong>Bản xem trước chưa cập nhật: {summary}</strong>\n{details}</div>"
)
_EDITOR = b'rel="cms-config-url"'  # the browser editor's page (Decap CMS), see admin.py
_BODY = re.compile(rb"<body[^>]*>", re.I)
_BODY_END = re.compile(rb"</body\s*>", re.I)
# A WSGI application (environ, start_response) -> body: the editor's backend (admin_backend.wsgi_answer).
WsgiApp = Callable[[dict, Callable[..., object]], Iterable[bytes]]
_TYPES = {".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml",
          ".webmanifest": "application/manifest+json", ".xml": "application/xml", ".css": "text/css"}


class PreviewServer(ThreadingHTTPServer):
    """Binds at construction (so a busy port is known before the first build); serve_forever serves."""

    daemon_threads = True  # a long poll never keeps the preview from stopping
    allow_reuse_port = False  # a port another server listens on is busy, never shared

    def __init__(self, host: str, port: int, site_dir: Path, mount_path: str) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self._changed = threading.Condition()  # before binding: a failed bind calls server_close
        self.closing = False
        self.waiting = 0  # pages waiting for the next build right now
        super().__init__((host, port), _Handler)
        self.site_dir = site_dir
        self.mount_path = mount_path if mount_path.endswith("/") else mount_path + "/"
        self.built = 0  # the build number pages are served at; a reloaded page asks for a newer one
        self.problem: tuple[str, str] = ("", "")  # (summary, details) shown in the banner; empty: none
        # Served instead of a missing page while nothing was built yet (the problem, the reload script).
        self.nothing_built: Callable[[], bytes | None] = lambda: None
        # Held while the preview writes into or swaps the folder and publishes the build (re-entrant).
        self.writing = threading.RLock()
        self.api: WsgiApp | None = None  # answers mount_path + api_path (build.py admin only)
        self.api_path = ""

    def publish(self, problem: tuple[str, str]) -> None:
        """A build finished (or failed): show its result, and tell every waiting page to reload."""
        with self._changed:
            self.built += 1
            self.problem = problem
            self._changed.notify_all()

    def wait_for_build(self, after: int, timeout: float) -> int:
        with self._changed:
            self.waiting += 1
            try:
                self._changed.wait_for(lambda: self.built != after or self.closing, timeout)
            finally:
                self.waiting -= 1
            return self.built

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a page reloaded or closed while its long poll was answered: nothing is wrong
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()
        super().server_close()

    def decorate(self, page: bytes) -> bytes:
        """The reload script before </body>, the banner after <body> while a problem is open."""
        if _EDITOR in page:
            return page  # the editor: reloading it after each save would lose what the officer is doing
        script = f'<script src="{PREFIX}reload.js" data-ban="{self.built}" defer></script>'.encode()
        end = _BODY_END.search(page)
        page = page[: end.start()] + script + page[end.start():] if end else page + script
        summary, details = self.problem
        start = _BODY.search(page) if summary else None
        if start is None:
            return page
        banner = _BANNER.format(summary=html.escape(summary), details=html.escape(details)).encode()
        return page[: start.end()] + banner + page[start.end():]


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        if not self._answer_api():
            self._send(405, b"", "text/plain", send_body=True)

    def _answer_api(self) -> bool:
        """The editor's backend at its path (any method: it refuses all but POST); False: not its path."""
        server = self.server
        if server.api is None or urlsplit(self.path).path != server.mount_path + server.api_path:
            return False
        environ = {"REQUEST_METHOD": self.command, "HTTP_HOST": self.headers.get("Host"),
                   "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                   "CONTENT_LENGTH": self.headers.get("Content-Length", ""), "wsgi.input": self.rfile}
        if self.headers.get("Origin") is not None:
            environ["HTTP_ORIGIN"] = self.headers["Origin"]
        answer: list[tuple[str, list[tuple[str, str]]]] = []
        body = b"".join(server.api(environ, lambda status, headers: answer.append((status, headers))))
        status, headers = answer[0]
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("X-Content-Type-Options", "nosniff")
        # A refused request's body may be unread: never read it as the next request on this connection.
        self.close_connection = not code.startswith("2")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return True

    def _respond(self, send_body: bool) -> None:
        if self._answer_api():
            return
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path.startswith(PREFIX):
            self._own(path[len(PREFIX):], parse_qs(parts.query), send_body)
            return
        mount = self.server.mount_path
        if not path.startswith(mount) and (path + "/" == mount or path == "/"):
            self._redirect(mount)
            return
        relative = path[len(mount):] if path.startswith(mount) else None
        # Under the lock the preview holds while it writes pages and publishes their build number: a
        # page and the number it carries always belong together (else it would reload once more).
        with self.server.writing:
            found = self._read(relative)
            if found is None:
                self._redirect(parts.path + "/")  # as requested, still percent-encoded
                return
            status, data, suffix = found
            if suffix == ".html":
                data = self.server.decorate(data)
        kind = _TYPES.get(suffix) or mimetypes.types_map.get(suffix, "application/octet-stream")
        if kind.startswith("text/") or kind == "application/json":
            kind += "; charset=utf-8"
        self._send(status, data, kind, send_body, csp=not (relative or "").startswith(EXEMPT_PREFIXES))

    def _read(self, relative: str | None) -> tuple[int, bytes, str] | None:
        """(status, bytes, suffix) of a site path; None: a folder asked for without its slash."""
        site = self.server.site_dir.resolve()
        if relative is not None:
            target = (site / relative).resolve()
            if target.is_dir() and (target == site or site in target.parents):
                if relative and not relative.endswith("/"):
                    return None
                target = target / "index.html"
            if target.is_file() and site in target.parents:
                return 200, target.read_bytes(), target.suffix
        nothing_built = self.server.nothing_built()
        if nothing_built is not None:
            return 503, nothing_built, ".html"
        not_found = site / "404.html"
        return 404, not_found.read_bytes() if not_found.is_file() else b"<!doctype html><title>404</title>", ".html"

    def _own(self, name: str, query: dict[str, list[str]], send_body: bool) -> None:
        if name == "doi":
            after = query.get("ban", [""])[0]
            built = self.server.wait_for_build(int(after) if after.isdigit() else -1, LONG_POLL_SECONDS)
            self._send(200, str(built).encode(), "text/plain; charset=utf-8", send_body)
        elif name in _OWN_FILES:
            data, kind = _OWN_FILES[name]
            self._send(200, data, kind + "; charset=utf-8", send_body)
        else:
            self._send(404, b"", "text/plain", send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, data: bytes, kind: str, send_body: bool, csp: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload must never show the page from before
        if csp:
            self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's signature
        pass  # one line per request would bury the build messages editors read
