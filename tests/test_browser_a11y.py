"""The built sample site in headless Chromium, served with the production CSP.

WCAG 2.1 AA (axe-core), no third-party requests, no console errors, no CSP violations (and search
still works under the policy), keyboard use, access keys (Circular 32/2017 Art. 18), a 360 px phone
and printing a procedure to A4. Pages are discovered from the built site (support.site_pages), so
new kinds of page are checked as soon as they exist.
"""

from __future__ import annotations

import io
import re
import unicodedata
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader
from support import page_scripts as js
from support.browser import WAIT_MS, PageLog, focus_visible, watched_context
from support.quality import AXE_OPTIONS, SEARCH_RESULT, Visit, console_errors, failed_requests, visit_all
from support.quality import check as _check
from support.quality import format_violations as _format_violations
from support.quality import open_page as _open
from support.site_pages import SEARCH_QUERY, SEARCH_URL, SitePage, abolished_notice, discover, procedure_with_most_forms

A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def site_pages(sample_site) -> list[SitePage]:
    return discover(sample_site.site)


@pytest.fixture(scope="module")
def desktop(chromium_browser):
    context = watched_context(chromium_browser)
    yield context
    context.close()


@pytest.fixture(scope="module")
def visits(desktop, served_sample, site_pages) -> list[Visit]:
    """Every discovered page loaded once on a desktop screen, with axe run on it."""
    return visit_all(desktop, served_sample, site_pages)


def test_discovery_covers_the_page_kinds(site_pages):
    kinds = {p.kind for p in site_pages}
    assert {"home", "404", "thu-tuc level 1", "thu-tuc level 2", "search results", "so-do-cong/", "a-z/", "a-z/*/"} <= kinds, kinds
    assert "thong-ke/" in kinds, kinds  # the statistics page: SVG charts and wide tables (test_statistics.py)
    assert {"thay-doi/", "thu-tuc abolished"} <= kinds, kinds  # the record of changes and a notice (test_lifecycle.py)
    assert sum(p.kind.startswith("thu-tuc") for p in site_pages) >= 5
    assert any(p.kind.startswith("linh-vuc/") for p in site_pages)


def test_pages_load_with_expected_status(visits):
    wrong = {v.page.url: [f"HTTP {v.status}, expected {v.page.status}"] for v in visits if v.status != v.page.status}
    _check(wrong, "unexpected HTTP status")


def test_no_wcag_a_aa_violations(visits):
    problems = {v.page.url: _format_violations(v.violations) for v in visits}
    _check(problems, "axe-core WCAG 2.0/2.1 A+AA violations")


def test_no_requests_beyond_the_site(visits):
    problems = {v.page.url: v.log.foreign_requests() for v in visits}
    _check(problems, "requests to other hosts")


def test_no_web_fonts(visits):
    problems = {v.page.url: v.log.fonts for v in visits}
    _check(problems, "web fonts requested (system fonts only)")


def test_no_failed_requests(visits):
    _check({v.page.url: failed_requests(v) for v in visits}, "failed requests")


def test_no_console_errors(visits):
    _check({v.page.url: console_errors(v) for v in visits}, "console errors / uncaught exceptions")


def test_no_csp_violations(visits):
    problems = {v.page.url: v.log.csp for v in visits}
    _check(problems, "Content-Security-Policy violations")


def test_access_keys_for_home_site_map_and_search(visits, served_sample, sample_site):
    """Art. 18: access keys 1 (home), 3 (site map) and 4 (search) on every page, each once."""
    assert (sample_site.site / "so-do-cong" / "index.html").is_file(), "the site map page is missing"
    problems = {}
    for v in visits:
        found: dict[str, list[dict]] = {}
        for item in v.access_keys:
            found.setdefault(item["key"], []).append(item)
        items = []
        for key in ("1", "3", "4"):
            if len(found.get(key, [])) != 1:
                items.append(f"accesskey={key}: {len(found.get(key, []))} elements, expected 1")
        if not items:
            if found["1"][0]["href"] != served_sample:
                items.append(f"accesskey=1 goes to {found['1'][0]['href']}, not the home page")
            if found["3"][0]["href"] != urljoin(served_sample, "so-do-cong/"):
                items.append(f"accesskey=3 goes to {found['3'][0]['href']}, not the site map")
            search = found["4"][0]
            if not (search["tag"] == "input" and search["type"] == "search") and SEARCH_URL not in search["href"]:
                items.append(f"accesskey=4 is on {search}, not the search box")
        problems[v.page.url] = items
    _check(problems, "access keys (Art. 18)")


def test_search_works_under_the_csp(desktop, served_sample):
    page = desktop.new_page()
    log = PageLog(served_sample)
    log.attach(page)
    page.goto(served_sample, wait_until="load")
    box = page.locator("header input[type=search]").first
    box.click()
    box.press_sequentially(SEARCH_QUERY)
    # Live results appear under the header box while typing (search.js, loaded from 'self')…
    live = page.locator("header a[href*='thu-tuc/']").filter(has_text=re.compile(SEARCH_QUERY, re.IGNORECASE))
    live.first.wait_for(state="visible", timeout=WAIT_MS)
    # …and Enter opens the results page, which the same script fills in.
    box.press("Enter")
    page.wait_for_url(re.compile(re.escape(SEARCH_URL)), timeout=WAIT_MS)
    results = page.locator(SEARCH_RESULT).filter(has_text=re.compile(SEARCH_QUERY, re.IGNORECASE))
    results.first.wait_for(state="visible", timeout=WAIT_MS)
    found = results.count()
    log.collect_csp(page)
    page.close()
    assert found >= 1
    assert not log.csp, log.csp
    assert not log.errors, log.errors


# Keyboard ----------------------------------------------------------------------------------------


def _keyboard_pages(site_pages: list[SitePage]) -> list[SitePage]:
    """One page of each kind (procedures: one per level)."""
    seen, chosen = set(), []
    for p in site_pages:
        if p.kind not in seen:
            seen.add(p.kind)
            chosen.append(p)
    return chosen


@pytest.fixture(scope="module")
def keyboard(desktop, served_sample, site_pages) -> dict[str, dict[str, list[str]]]:
    """Tab through one page of each kind: skip link first, every control reached, focus visible."""
    results: dict[str, dict[str, list[str]]] = {"skip": {}, "focus": {}}
    for site_page in _keyboard_pages(site_pages):
        page, _, _ = _open(desktop, served_sample, site_page)
        focusables = page.evaluate(js.FOCUSABLES)
        main_id = page.evaluate("() => (document.querySelector('main') || {}).id || ''")
        reached: dict[str, dict] = {}
        first = None
        for _ in range(len(focusables) + 3):
            page.keyboard.press("Tab")
            active = page.evaluate(js.ACTIVE)
            first = first or active or {}
            if active is None or active["index"] in reached:
                break  # focus left the document or wrapped around
            if active["index"] is not None:
                reached[active["index"]] = active
        skip = []
        if not main_id or first.get("href") != f"#{main_id}":
            skip.append(f"first Tab stop is {first}, not a skip link to <main id={main_id!r}>")
        else:
            page.focus(f"a[href='#{main_id}']")
            box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect(); return [r.left, r.top, r.width]; }")
            if box[0] < 0 or box[1] < 0 or box[2] < 24:
                skip.append(f"the focused skip link is not on screen: {box}")
            page.keyboard.press("Enter")
            if not page.evaluate(js.IN_MAIN):
                skip.append(f"Enter on the skip link leaves focus on {page.evaluate(js.ACTIVE)}")
        focus = []
        radio_groups = {(f["tag"], f["name"]) for f in focusables if str(f["index"]) in reached and f["type"] == "radio"}
        for f in focusables:
            got = reached.get(str(f["index"]))
            if got is None:
                if not (f["type"] == "radio" and (f["tag"], f["name"]) in radio_groups):
                    focus.append(f"not reachable by Tab: <{f['tag']}> {f['text']!r}")
            elif not focus_visible(f["style"], got):
                focus.append(f"no visible focus on <{f['tag']}> {f['text']!r}: {got['style']}")
        results["skip"][site_page.url] = skip
        results["focus"][site_page.url] = focus[:15]
        page.close()
    return results


def test_skip_link_is_first_and_moves_focus_to_main(keyboard):
    _check(keyboard["skip"], "skip link")


def test_every_control_reachable_by_tab_with_visible_focus(keyboard):
    _check(keyboard["focus"], "keyboard focus")


# Phone -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def phone_results(chromium_browser, served_sample, site_pages) -> dict[str, dict]:
    context = chromium_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                           is_mobile=True, has_touch=True, locale="vi-VN")
    results = {}
    axe, one_per_kind = Axe(), _keyboard_pages(site_pages)
    for site_page in site_pages:
        page, _, _ = _open(context, served_sample, site_page)
        results[site_page.url] = {"overflow": page.evaluate(js.OVERFLOW), "small": page.evaluate(js.TARGET_SIZE), "axe": []}
        if site_page in one_per_kind:  # the phone layout (reflowed tables, wrapped menus) gets its own axe run
            results[site_page.url]["axe"] = axe.run(page, options=AXE_OPTIONS).response["violations"]
            # WCAG 1.4.10 Reflow is defined at 320 CSS px: narrower still, same page.
            page.set_viewport_size({"width": 320, "height": 640})
            results[site_page.url]["overflow320"] = page.evaluate(js.OVERFLOW)
        page.close()
    context.close()
    return results


def test_no_horizontal_scrolling_at_360px_and_320px(phone_results):
    problems = {
        url: [f"at {o['width']} px: scrollWidth {o['total']}: {o['wide']}" for o in (r["overflow"], r.get("overflow320"))
              if o and o["total"] > o["width"]]
        for url, r in phone_results.items()
    }
    _check(problems, "horizontal scrolling on a phone")


def test_no_wcag_a_aa_violations_at_360px(phone_results):
    problems = {url: _format_violations(r["axe"]) for url, r in phone_results.items()}
    _check(problems, "axe-core WCAG 2.0/2.1 A+AA violations on a 360 px phone")


def test_tables_reflow_with_column_names_on_a_phone(chromium_browser, served_sample, sample_site):
    context = chromium_browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(served_sample + procedure_with_most_forms(sample_site.site), wait_until="load")
    tables = page.evaluate(js.REFLOWED_TABLES)
    context.close()
    assert len(tables) >= 3, tables
    for table in tables:
        if table["headerShown"]:
            continue  # still a real table: it scrolls inside its own box
        assert table["captionShare"] > 0.8, f"caption squeezed: {table}"
        assert not table["unlabelled"], f"stacked cells without their column name: {table}"


def test_tap_targets_at_least_24px(phone_results):
    problems = {url: r["small"] for url, r in phone_results.items()}
    _check(problems, "targets under 24×24 px (WCAG 2.5.8)")


# Print -------------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


@pytest.fixture(scope="module")
def printed(desktop, served_sample, sample_site):
    url = procedure_with_most_forms(sample_site.site)
    page = desktop.new_page()
    page.goto(served_sample + url, wait_until="load")
    page.emulate_media(media="print")
    result = {
        "chrome": page.evaluate(js.PRINT_CHROME),
        "sections": page.evaluate(js.PRINT_SECTIONS),
        "form_links": page.evaluate(js.PRINT_FORM_LINKS),
        "pdf": PdfReader(io.BytesIO(page.pdf(format="A4"))),
    }
    page.close()
    result["text"] = "\n".join(p.extract_text() or "" for p in result["pdf"].pages)
    return result


def test_print_hides_header_menus_search_and_footer(printed):
    chrome = printed["chrome"]
    for name in ("header", "menus", "search", "footer", "skip link"):
        assert chrome[name]["found"], f"no {name} found on the page: the check would prove nothing"
        assert not chrome[name]["shown"], f"{name} still printed: {chrome[name]['shown']}"
    text = _normalise(printed["text"])
    assert _normalise("Bỏ qua, đến nội dung chính") not in text


def test_print_keeps_every_section_heading(printed):
    sections = printed["sections"]
    assert len(sections) >= 13, sections  # h1 + the twelve items of Art. 5.1
    hidden = [s["text"] for s in sections if not s["shown"]]
    assert not hidden, f"headings hidden in print: {hidden}"
    text = _normalise(printed["text"])
    missing = [s["text"] for s in sections if _normalise(s["text"]) not in text]
    assert not missing, f"headings missing from the PDF text: {missing}"


def test_print_shows_form_link_targets(printed):
    links = printed["form_links"]
    assert links, "the printed procedure has no form downloads"
    squeezed = re.sub(r"\s+", "", printed["text"])
    missing = [a["href"] for a in links if a["href"] not in squeezed]
    assert not missing, f"form link targets not printed: {missing}"
    # The sample sets site_url: paper shows full addresses, not paths relative to the page.
    assert all(a["href"].startswith("https://") for a in links), links


def test_print_pages_are_a4(printed):
    pages = printed["pdf"].pages
    assert len(pages) >= 2
    for number, pdf_page in enumerate(pages, 1):
        size = (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1.5), f"page {number} is {size} pt, not A4"


def test_print_button_opens_the_print_dialog(desktop, served_sample, sample_site):
    page = desktop.new_page()
    page.goto(served_sample + procedure_with_most_forms(sample_site.site), wait_until="load")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="In trang này").click()
    printed = page.evaluate("window.__printed")
    page.close()
    assert printed == 1


def test_printed_notice_says_no_longer_in_force_on_every_sheet(desktop, served_sample, sample_site):
    """An abolished procedure printed: the notice, and a stamp at the top of every A4 sheet (test_lifecycle.py)."""
    url = abolished_notice(sample_site.site)
    assert url, "the sample has no abolished procedure"
    page = desktop.new_page()
    page.goto(served_sample + url, wait_until="load")
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    page.close()
    sheets = [_normalise(p.extract_text() or "") for p in pdf.pages]
    assert len(sheets) >= 2
    assert _normalise("Thủ tục này đã bị bãi bỏ") in sheets[0]
    unstamped = [n for n, text in enumerate(sheets, 1) if _normalise("KHÔNG CÒN HIỆU LỰC") not in text]
    assert not unstamped, f"sheets without the 'no longer in force' stamp: {unstamped}"
