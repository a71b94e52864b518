"""The browser quality checks every served page must pass: axe, requests, console, CSP (shared by the
checks on the test server, test_browser_a11y.py, and through nginx, test_nginx.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe

from support import page_scripts as js
from support.browser import PageLog
from support.site_pages import SEARCH_URL, SitePage

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SEARCH_RESULT = "main a[href*='thu-tuc/']"


@dataclass
class Visit:
    page: SitePage
    status: int
    log: PageLog
    violations: list[dict] = field(default_factory=list)
    access_keys: list[dict] = field(default_factory=list)


def open_page(context, base_url: str, site_page: SitePage):
    """A fresh tab on `site_page` with its log attached; waits for search results where relevant."""
    page = context.new_page()
    log = PageLog(base_url)
    log.attach(page)
    response = page.goto(base_url + site_page.url, wait_until="load")
    if site_page.url.startswith(SEARCH_URL):
        page.wait_for_selector(SEARCH_RESULT, state="visible", timeout=10_000)
    return page, log, response.status if response else 0


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"/{url}\n    " + "\n    ".join(items) for url, items in problems.items() if items)


def check(problems: dict[str, list[str]], title: str) -> None:
    """Fail with one readable list of every page's problems (pytest's own diff would hide them)."""
    if any(problems.values()):
        pytest.fail(f"{title}:\n{report(problems)}", pytrace=False)


def format_violations(violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return lines




def visit_all(context, base_url: str, site_pages: list[SitePage]) -> list[Visit]:
    """Every page loaded once, with axe run on it, its access keys and CSP reports collected."""
    axe = Axe()
    results = []
    for site_page in site_pages:
        page, log, status = open_page(context, base_url, site_page)
        violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
        keys = page.evaluate(js.ACCESS_KEYS)
        log.collect_csp(page)
        page.close()
        results.append(Visit(site_page, status, log, violations, keys))
    return results


def failed_requests(visit: Visit) -> list[str]:
    failed = visit.log.failed
    if visit.page.status == 404:  # the navigation itself is the expected 404
        failed = [f for f in failed if not f.startswith(f"{visit.log.base_url}{visit.page.url} ")]
    return failed


def console_errors(visit: Visit) -> list[str]:
    errors = visit.log.errors
    if visit.page.status == 404:  # Chromium logs the expected 404 of the navigation itself
        errors = [e for e in errors if not e.startswith("Failed to load resource: the server responded with a status of 404")]
    return errors


def all_problems(visits: list[Visit]) -> dict[str, list[str]]:
    """Every check at once, page by page: status, axe, other hosts, web fonts, failures, console, CSP."""
    problems: dict[str, list[str]] = {}
    for v in visits:
        items = [f"HTTP {v.status}, expected {v.page.status}"] if v.status != v.page.status else []
        items += format_violations(v.violations)
        items += [f"request to another host: {url}" for url in v.log.foreign_requests()]
        items += [f"web font: {url}" for url in v.log.fonts]
        items += [f"failed: {f}" for f in failed_requests(v)]
        items += [f"console: {e}" for e in console_errors(v)]
        items += [f"CSP: {c}" for c in v.log.csp]
        problems[v.page.url] = items
    return problems
