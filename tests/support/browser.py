"""Headless Debian Chromium through Playwright, and what the browser tests record on each page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Runs before any page script: records CSP violations so tests can read them after load.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' at ' + (e.sourceFile || location.href) + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
});
"""


# How long a browser wait may take before it fails: generous, since it checks that something happens on two
# busy cores, not how fast (speed lives in benchmarks/). Waits poll, so a fast machine does not wait longer.
WAIT_MS = 120_000


def watched_context(browser, width: int = 1280, height: int = 900, **options):
    """A Vietnamese-locale browser context whose pages record CSP violations (see CSP_LISTENER)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", **options)
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(CSP_LISTENER)
    return context


@contextmanager
def launch_chromium() -> Iterator[object]:
    """Yield a Playwright Browser; fails under build.py test and CI (skips in a plain pytest run) without Chromium."""
    from playwright.sync_api import sync_playwright

    from support.required import missing_tool

    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is missing: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """Everything a page did while it loaded and was used: requests, console, CSP reports."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)  # web fonts requested: the site uses system fonts only

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("request", lambda r: r.resource_type == "font" and self.fonts.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error":
            self.errors.append(text)
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        self.console.append(f"{message.type}: {text}")

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url)]

    def collect_csp(self, page) -> None:
        self.csp.extend(page.evaluate("window.__cspViolations || []"))


def focus_visible(before: dict, after: dict) -> bool:
    """A focus indicator: an outline (the browser's own ring is style "auto"), or a changed box-shadow or background."""
    outline = after["outlineStyle"] == "auto" or (after["outlineStyle"] != "none" and after["outlineWidth"] >= 1)
    shadow = after["style"]["shadow"] != "none" and after["style"]["shadow"] != before["shadow"]
    return outline or shadow or after["style"]["background"] != before["background"]
