"""Which pages of a built site the browser tests visit, discovered from the files themselves.

One page of every kind (a kind is the first URL segment plus the depth: "linh-vuc/x/", "co-quan/",
"so-do-cong/", …), every A–Z letter page, a spread of procedure pages of levels 1 and 2, the search
page with a query and the 404 page. New kinds of page that colleagues add are picked up without
editing this file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PROCEDURE_PREFIX = "thu-tuc"
SEARCH_URL = "tim-kiem/"
SEARCH_QUERY = "khai sinh"
# /admin/ is the editors' Decap CMS app: third-party markup, exempt from these checks.
EXEMPT_PREFIXES = ("admin/",)
# Letter pages of the A–Z index are few and differ in content (empty letters, "hiện tại"): visit all.
A_Z_PREFIXES = ("a-z", "tu-a-den-z", "chu-cai", "theo-chu-cai", "tra-cuu-a-z")
PROCEDURES_PER_LEVEL = 3
_LEVEL = re.compile(r'class="?badge"?>Mức độ (\d)<')
_DOWNLOAD = re.compile(r"<a [^>]*\bdownload\b")
_REDIRECT = re.compile(r'<meta[^>]*http-equiv="?refresh', re.IGNORECASE)
NOTICE_MARK = "retired__stamp"


@dataclass(frozen=True)
class SitePage:
    url: str  # site-relative: "" (home), "thu-tuc/x/", "404.html", "tim-kiem/?q=…"
    kind: str
    status: int = 200


def html_files(site: Path) -> list[Path]:
    """Every generated HTML page except the exempt editors' app."""
    files = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith(EXEMPT_PREFIXES):
            files.append(path)
    return files


def _url_of(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def procedure_level(html: str) -> int | None:
    match = _LEVEL.search(html)
    return int(match.group(1)) if match else None


def _spread(items: list, count: int) -> list:
    """`count` items spread evenly over the list (first and last included)."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def discover(site: Path) -> list[SitePage]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    procedures: dict[int, list[str]] = defaultdict(list)
    for path in html_files(site):
        url = _url_of(site, path)
        if url == "404.html":
            continue
        parts = [p for p in url.split("/") if p]
        html = path.read_text("utf-8")
        if _REDIRECT.search(html):
            continue  # a moved address: the browser lands on its target, which is visited as itself
        if parts and parts[0] == PROCEDURE_PREFIX and len(parts) == 2:
            if NOTICE_MARK in html:  # an abolished procedure's notice (test_lifecycle.py)
                by_kind["thu-tuc abolished"].append(url)
                continue
            level = procedure_level(html)
            procedures[level or 0].append(url)
            continue
        kind = "home" if not parts else f"{parts[0]}/{'*/' * (len(parts) - 1)}"
        by_kind[kind].append(url)
    pages = [SitePage("", "home")]
    for kind, urls in sorted(by_kind.items()):
        if kind == "home" or urls == [SEARCH_URL]:
            continue
        chosen = urls if kind.startswith(A_Z_PREFIXES) else urls[:1]
        pages += [SitePage(url, kind) for url in chosen]
    for level, urls in sorted(procedures.items()):
        pages += [SitePage(url, f"thu-tuc level {level}") for url in _spread(urls, PROCEDURES_PER_LEVEL)]
    if (site / SEARCH_URL / "index.html").exists():
        pages.append(SitePage(f"{SEARCH_URL}?q={SEARCH_QUERY.replace(' ', '+')}", "search results"))
    # Two levels deep: the 404 page must load its assets from any depth.
    pages.append(SitePage("thu-tuc/khong-co-trang-nay/", "404", status=404))
    return pages


def procedure_with_most_forms(site: Path) -> str:
    """The procedure page with the most form downloads: the richest page to print."""
    best, best_count = "", -1
    for path in sorted((site / PROCEDURE_PREFIX).glob("*/index.html")):
        html = path.read_text("utf-8")
        count = len(_DOWNLOAD.findall(html))
        if count > best_count and NOTICE_MARK not in html and not _REDIRECT.search(html):
            best, best_count = _url_of(site, path), count
    return best


def abolished_notice(site: Path) -> str:
    """An abolished procedure's notice page (the sample has one)."""
    for path in sorted((site / PROCEDURE_PREFIX).glob("*/index.html")):
        if NOTICE_MARK in path.read_text("utf-8"):
            return _url_of(site, path)
    return ""
