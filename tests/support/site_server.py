"""Serve a built site over HTTP on 127.0.0.1 with the production Content-Security-Policy.

Used by the browser tests and by benchmarks/lighthouse.py: pages are checked exactly as a host
configured as the README says would send them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
# /admin/ (Decap CMS) runs a third-party editor app and is exempt from the strict policy.
EXEMPT_PREFIXES = ("/admin/",)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    csp = True

    def end_headers(self) -> None:
        if self.csp and not self.path.startswith(EXEMPT_PREFIXES):
            self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Like a real host: unknown paths get the site's own 404 page, with status 404.
        page_404 = Path(self.directory) / "404.html"
        if code == 404 and page_404.is_file():
            body = page_404.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


class _HandlerWithoutCsp(_Handler):
    csp = False


@contextmanager
def serve_site(site_dir: Path, port: int = 0, *, csp: bool = True) -> Iterator[str]:
    """Serve `site_dir` in a background thread; yields the base URL ending in '/'.

    csp=False serves without the policy, for tests of what the page itself lets through.
    """
    handler = functools.partial(_Handler if csp else _HandlerWithoutCsp, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
