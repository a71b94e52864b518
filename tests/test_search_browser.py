"""Search in headless Chromium: typing in the boxes, the results page, loading on demand, keyboard use."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from sitecheck import logical_name, published_asset
from support.browser import WAIT_MS, PageLog, watched_context

from conftest import Project

FIRST_RESULT = ".search-suggest .search-result__title"
DRIVING_LICENCE_CODES = {"3.000347", "3.000348", "3.000349", "3.000350"}

# Query typed -> codes of which one must be the FIRST result.
QUERIES = [
    ("Đăng ký khai sinh", {"1.001193"}),  # the exact title
    ("dang ky khai sinh", {"1.001193"}),  # without tones
    ("khai tu", {"1.000656"}),  # a two-word tone-less fragment: Đăng ký khai tử
    ("GPLX", DRIVING_LICENCE_CODES),  # an abbreviation from keywords
    ("1.001193", {"1.001193"}),  # a code
    ("001193", {"1.001193"}),  # a code by its digits
    ("1.0011", {"1.001193"}),  # a code while it is being typed
    ("dang ky khai s", {"1.001193"}),  # the last word as a prefix while typing
    ("khai sinhh", {"1.001193"}),  # a one-letter typo
    ("đăg ký kết hôn", {"1.000894"}),  # a missing letter
    ("đổi bằng lái", DRIVING_LICENCE_CODES),  # words from keywords, with tones
]


@pytest.fixture(scope="module")
def codes_by_url(sample_site: Project) -> dict[str, str]:
    data = json.loads(published_asset(sample_site.site, "assets/search/docs.json").read_text("utf-8"))
    return {row[1]: row[2] for row in data["docs"]}


@pytest.fixture(scope="module")
def context(chromium_browser):
    context = watched_context(chromium_browser)
    yield context
    context.close()


@pytest.fixture(scope="module")
def home(context, served_sample):
    """The home page, opened once; every request and console message is recorded."""
    page = context.new_page()
    log = PageLog(served_sample)
    log.attach(page)
    page.goto(served_sample, wait_until="load")
    yield page, log
    page.close()


def _code_of(href: str, base_url: str, codes_by_url: dict[str, str]) -> str:
    return codes_by_url.get(href.removeprefix(base_url), href)


def _type(page, selector: str, text: str) -> None:
    box = page.locator(selector)
    box.click()
    box.fill("")
    box.press_sequentially(text)


def test_no_search_bytes_until_a_box_is_focused(home, served_sample):
    page, log = home
    page.wait_for_load_state("networkidle")
    assert not [url for url in log.requests if "/assets/search/" in url or "/vendor/lunr/" in url]
    page.locator("#q-home").focus()
    page.wait_for_function("() => !!window.lunr")
    page.wait_for_load_state("networkidle")
    loaded = [logical_name(url.removeprefix(served_sample)) for url in log.requests]
    assert {"assets/search/index.json", "assets/search/docs.json", "assets/vendor/lunr/lunr.min.js"} <= set(loaded)


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_typing_finds_the_procedure_first(home, served_sample, codes_by_url, query, expected):
    page, _ = home
    _type(page, "#q-home", query)
    status = page.locator(".hero-search .search-suggest__status")
    page.wait_for_function(
        "q => { const s = document.querySelector('.hero-search .search-suggest__status'); return s && s.textContent.includes(q); }",
        arg=query,
    )
    first = page.locator(f".hero-search {FIRST_RESULT}").first
    href = first.evaluate("a => a.href")
    assert _code_of(href, served_sample, codes_by_url) in expected, (query, first.text_content())
    meta = page.locator(".hero-search .search-result__meta").first.text_content()
    assert meta.startswith("Mã ") and "Mức độ" in meta  # code, field and level are shown
    assert "kết quả" in status.text_content()


def test_results_page_runs_the_query_on_load(context, served_sample, codes_by_url):
    page = context.new_page()
    log = PageLog(served_sample)
    log.attach(page)
    page.goto(served_sample + "tim-kiem/?q=" + quote("dang ky khai sinh"), wait_until="load")
    page.locator("#search-results .search-result__title").first.wait_for(timeout=WAIT_MS)
    assert page.locator("#q-page").input_value() == "dang ky khai sinh"
    first = page.locator("#search-results .search-result__title").first.evaluate("a => a.href")
    assert _code_of(first, served_sample, codes_by_url) == "1.001193"
    assert "kết quả" in page.locator("#search-status").text_content()
    # Typing on the results page updates the list and the address, so the page stays shareable.
    _type(page, "#q-page", "GPLX")
    page.wait_for_function(
        "() => location.search.includes('GPLX') && document.querySelector('#search-status').textContent.includes('GPLX')"
    )
    first = page.locator("#search-results .search-result__title").first.evaluate("a => a.href")
    assert _code_of(first, served_sample, codes_by_url) in DRIVING_LICENCE_CODES
    log.collect_csp(page)
    page.close()
    assert not log.foreign_requests() and not log.errors and not log.csp and not log.failed


def test_results_page_without_javascript_leads_to_the_field_lists(chromium_browser, served_sample):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_sample + "tim-kiem/?q=khai+sinh")
    links = page.locator("main a[href*='linh-vuc/']")
    assert links.count() >= 3
    assert "lĩnh vực" in page.locator("#search-status").text_content()
    context.close()


def test_keyboard_and_screen_reader_use(context, served_sample):
    page = context.new_page()
    log = PageLog(served_sample)
    log.attach(page)
    page.goto(served_sample, wait_until="load")
    _type(page, "#q-header", "khai sinh")
    panel = page.locator(".header-search .search-suggest")
    panel.wait_for(state="visible")
    box = page.locator("#q-header")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == panel.get_attribute("id")
    assert page.locator("label[for=q-header]").count() == 1
    # The count is announced by a live region outside the (initially hidden) panel.
    status = page.locator(".header-search [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    assert not panel.locator("[role=status]").count()
    page.wait_for_function("() => document.querySelector('.header-search [role=status]').textContent.includes('kết quả')")
    box.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "search-result__title"
    page.keyboard.press("ArrowDown")
    second = page.evaluate("() => document.activeElement.textContent")
    assert second == page.locator(".header-search .search-result__title").nth(1).text_content()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("() => document.activeElement.id") == "q-header"
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # opens the closed list again
    assert panel.is_visible() and page.evaluate("() => document.activeElement.id") == "q-header"
    # Enter opens the results page for the typed query.
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=khai+sinh")
    page.locator("#search-results .search-result").first.wait_for()
    page.close()
    assert not log.errors and not log.foreign_requests()


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def test_open_results_have_no_wcag_violations(context, served_sample):
    from axe_playwright_python.sync_playwright import Axe

    page = context.new_page()
    page.goto(served_sample, wait_until="load")
    _type(page, "#q-home", "giay phep")
    page.locator(".hero-search .search-result").first.wait_for()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    page.goto(served_sample + "tim-kiem/?q=" + quote("giấy phép"), wait_until="load")
    page.locator("#search-results .search-result").first.wait_for()
    violations += Axe().run(page, options=AXE_OPTIONS).response["violations"]
    page.close()
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_nothing_left_the_origin_and_no_console_errors(home):
    page, log = home
    log.collect_csp(page)
    assert log.requests, "the page recorded no requests"
    assert not log.foreign_requests(), log.foreign_requests()
    assert not log.errors, log.errors
    assert not log.csp, log.csp
    assert not log.failed, log.failed


# Services the sample catalogue does not have: the answer is "not found", with ways to go on.
NOT_IN_CATALOGUE = ["cấp hộ chiếu phổ thông", "ho chieu", "đăng ký xe máy"]
NOT_FOUND = "Không tìm thấy thủ tục phù hợp"


def _wait_for_status(page, selector: str, text: str) -> str:
    """Poll until the status names the query (the results for it are shown), then return its text."""
    page.wait_for_function(
        "([s, q]) => { const el = document.querySelector(s); return el && el.textContent.includes(q); }",
        arg=[selector, text],
    )
    return page.locator(selector).text_content()


def _suggestion_links(scope) -> set[str]:
    return set(scope.locator(".search-none a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))


@pytest.mark.parametrize("query", NOT_IN_CATALOGUE)
def test_a_service_not_in_the_catalogue_is_not_found(context, served_sample, query):
    page = context.new_page()
    page.goto(served_sample + "tim-kiem/?q=" + quote(query), wait_until="load")
    status = _wait_for_status(page, "#search-status", query)
    assert NOT_FOUND in status
    assert page.locator("#search-results li").count() == 0
    links = _suggestion_links(page.locator("main"))
    assert any(href.endswith("linh-vuc/") for href in links) and any(href.endswith("a-z/") for href in links), links
    assert "ít từ hơn" in page.locator(".search-none").text_content()
    # The suggestion box under the header search says the same while typing.
    _type(page, "#q-header", query)
    panel_status = _wait_for_status(page, ".header-search .search-suggest__status", query)
    assert NOT_FOUND in panel_status
    assert page.locator(".header-search .search-result").count() == 0
    assert _suggestion_links(page.locator(".header-search"))
    page.close()


def test_results_match_most_of_the_query(context, served_sample, codes_by_url):
    page = context.new_page()
    page.goto(served_sample + "tim-kiem/?q=" + quote("dang ky khai sinh"), wait_until="load")
    status = _wait_for_status(page, "#search-status", "dang ky khai sinh")
    hrefs = page.locator("#search-results .search-result__title").evaluate_all("links => links.map(a => a.href)")
    assert 1 <= len(hrefs) <= 5, (status, len(hrefs))
    assert _code_of(hrefs[0], served_sample, codes_by_url) == "1.001193"
    page.close()


def test_pages_are_findable(context, served_sample):
    page = context.new_page()
    page.goto(served_sample, wait_until="load")
    _type(page, "#q-home", "thong ke")
    _wait_for_status(page, ".hero-search .search-suggest__status", "thong ke")
    first = page.locator(f".hero-search {FIRST_RESULT}").first
    assert first.evaluate("a => a.href").endswith("/thong-ke/")
    _type(page, "#q-home", "gioi thieu")
    _wait_for_status(page, ".hero-search .search-suggest__status", "gioi thieu")
    assert page.locator(f".hero-search {FIRST_RESULT}").first.evaluate("a => a.href").endswith("/gioi-thieu/")
    page.close()


def test_results_say_whether_the_dossier_can_be_sent_online(home):
    page, _ = home
    _type(page, "#q-home", "dang ky khai sinh")
    _wait_for_status(page, ".hero-search .search-suggest__status", "dang ky khai sinh")
    meta = page.locator(".hero-search .search-result__meta").first.text_content()
    assert "Nộp trực tuyến được" in meta, meta
