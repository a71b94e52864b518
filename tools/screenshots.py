"""Screenshots of the built site at phone and desktop widths, so a review starts from pictures.

    .venv/bin/python tools/screenshots.py            build the sample, then write docs/screenshots/*.jpg
    .venv/bin/python tools/screenshots.py --site site --out /tmp/shots --png   an existing build, as PNG

Each page is captured whole (full page) at 360 px and 1280 px wide in headless Debian Chromium.
The site is served by the standard library on 127.0.0.1 with a port the OS picks.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
WIDTHS = {"phone": 360, "desktop": 1280}


def pages(site: Path) -> dict[str, str]:
    """The pages a reviewer looks at first: home, a field, a procedure, statistics, search, 404."""
    field = sorted(p.parent.name for p in (site / "linh-vuc").glob("*/index.html"))[0]
    procedure = sorted(p.parent.name for p in (site / "thu-tuc").glob("*/index.html"))[0]
    return {
        "home": "/",
        "field": f"/linh-vuc/{field}/",
        "procedure": f"/thu-tuc/{procedure}/",
        "statistics": "/thong-ke/",
        "search": "/tim-kiem/?q=khai%20sinh",
        "404": "/khong-co-trang-nay/",
    }


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's own 404 page, as a configured web server sends it."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def capture(site: Path, out: Path, kind: str = "jpeg") -> list[Path]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, width in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN",
                                              device_scale_factor=1, is_mobile=size == "phone", has_touch=size == "phone")
                page = context.new_page()
                for name, path in pages(site).items():
                    page.goto(base + path, wait_until="networkidle")
                    if name == "search":  # results are drawn by script once the index has loaded
                        page.wait_for_function(
                            "() => { const s = document.getElementById('search-status');"
                            " return s && !/JavaScript|Đang tìm/.test(s.textContent); }", timeout=15000)
                    target = out / f"{name}-{width}.{'jpg' if kind == 'jpeg' else 'png'}"
                    quality = {"quality": 70} if kind == "jpeg" else {}
                    page.screenshot(path=str(target), full_page=True, type=kind, **quality)
                    written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site folder (default: build the sample)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--png", action="store_true", help="PNG instead of JPEG (larger files, lossless)")
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        site = ROOT / "site"
        subprocess.run([sys.executable, "-m", "thutuc.host.cli", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    for path in capture(site.resolve(), args.out, "png" if args.png else "jpeg"):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
