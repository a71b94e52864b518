"""The browser checks themselves, on a page built to break every rule: each detector must fire."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from support import page_scripts as js
from support.browser import PageLog, focus_visible, watched_context
from support.site_server import serve_site

BAD_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Hỏng</title>
<link rel="stylesheet" href="bad.css"></head><body>
<main id="noi-dung"><img src="logo.svg">
<p class="wide">Quá rộng</p>
<div class="row"><button class="tiny">a</button><button class="tiny">b</button></div>
<a class="plain" href="#noi-dung">không có viền khi nhận tiêu điểm</a>
<script>document.title = "inline";</script></main></body></html>"""
BAD_CSS = """.wide { width: 600px; } .row { display: flex; } .tiny { width: 12px; height: 12px; padding: 0; border: 0; }
.plain:focus { outline: none; }"""
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>'


@pytest.fixture(scope="module")
def bad_page(tmp_path_factory, chromium_browser):
    site = tmp_path_factory.mktemp("bad-site")
    (site / "index.html").write_text(BAD_PAGE, "utf-8")
    (site / "bad.css").write_text(BAD_CSS, "utf-8")
    (site / "logo.svg").write_text(LOGO, "utf-8")
    with serve_site(Path(site)) as base_url:
        context = watched_context(chromium_browser, 360, 740)
        page = context.new_page()
        log = PageLog(base_url)
        log.attach(page)
        page.goto(base_url, wait_until="load")
        yield page, log
        context.close()


def test_inline_script_is_reported_as_csp_violation(bad_page):
    page, log = bad_page
    log.collect_csp(page)
    assert any("script-src" in v for v in log.csp), log.csp
    assert page.title() == "Hỏng"  # and it really did not run


def test_axe_reports_missing_alt_text(bad_page):
    page, _ = bad_page
    violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a"]}}).response["violations"]
    assert "image-alt" in {v["id"] for v in violations}


def test_overflow_and_small_targets_are_found(bad_page):
    page, _ = bad_page
    overflow = page.evaluate(js.OVERFLOW)
    assert overflow["total"] > overflow["width"]
    small = page.evaluate(js.TARGET_SIZE)
    assert len(small) == 2 and all("12×12" in s for s in small), small


def test_missing_focus_indicator_is_found(bad_page):
    page, _ = bad_page
    focusables = page.evaluate(js.FOCUSABLES)
    link = next(f for f in focusables if f["tag"] == "a")
    page.focus("a.plain")
    assert not focus_visible(link["style"], page.evaluate(js.ACTIVE))
    button = next(f for f in focusables if f["tag"] == "button")
    page.keyboard.press("Shift+Tab")  # to the second button: the browser's default focus ring
    assert focus_visible(button["style"], page.evaluate(js.ACTIVE))
