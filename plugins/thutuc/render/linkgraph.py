"""The three-click rule and link integrity, proved on the generated HTML (no MkDocs here).

Reads every HTML file of a built site once, follows `<a href>` links breadth-first from index.html
(what a visitor can click without JavaScript or search) and reports, in Vietnamese:
- procedures deeper than max_clicks, or unreachable, with the path of clicks that reaches them;
- links to pages or files that do not exist, and `#anchors` that name no element of their page;
- missing assets referenced by `src` or `<link href>`.
Linear in the size of the site: each file is parsed once and each link followed once.
"""

from __future__ import annotations

import posixpath
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html

# Schemes a page may link to that are not files of the site.
EXTERNAL_SCHEMES = {"mailto", "tel", "sms", "javascript", "data", "blob", "geo"}
MAX_LISTED = 50


@dataclass
class PageScan:
    clicks: list[str]
    assets: list[str]
    ids: set[str]
    # The links resolved against one site address, kept with the scan: the preview checks the whole
    # site after every edit and most pages (and so their scans) did not change.
    resolved: tuple[tuple, list[tuple[str, bool, tuple[str, str] | None]]] | None = field(default=None, repr=False, compare=False)


# libxml2's HTML parser through lxml: about five times faster than html.parser on our pages (measured on a
# 2,000-procedure site), and it recovers from broken markup the same forgiving way browsers do.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def scan_html(data: bytes | str) -> PageScan:
    """Clickable links (<a>/<area> href), asset references (src, <link> href) and element ids of one page."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    clicks: list[str] = []
    assets: list[str] = []
    ids: set[str] = set()
    if not data.strip():
        return PageScan(clicks, assets, ids)
    root = lxml.html.document_fromstring(data, parser=_PARSER)
    for element in root.iter(lxml.etree.Element):
        attributes = element.attrib
        if not attributes:
            continue
        tag = element.tag
        for name, value in attributes.items():
            if name == "id" or (name == "name" and tag == "a"):
                ids.add(value)
            elif name == "href":
                if tag in ("a", "area"):
                    clicks.append(value)
                elif tag == "link":
                    assets.append(value)
            elif name == "src":
                assets.append(value)
    return PageScan(clicks, assets, ids)


@dataclass
class Problem:
    kind: str  # "link", "anchor", "asset"
    page: str  # site path of the page that has the link, e.g. "/thu-tuc/x/"
    href: str
    detail: str


@dataclass
class LinkReport:
    depths: dict[str, int] = field(default_factory=dict)  # page path -> clicks from the home page
    parents: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    too_deep: list[tuple[str, int | None]] = field(default_factory=list)  # (procedure path, depth or None)
    deepest: tuple[str, int] = ("", 0)
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.too_deep

    def click_path(self, page: str) -> list[str]:
        path = [page]
        while path[-1] in self.parents:
            path.append(self.parents[path[-1]])
        return list(reversed(path))


def scan_pages(pages: list[tuple[str, str]]) -> list[tuple[str, PageScan]]:
    """scan_html for a batch of (site path, HTML): what a helper process runs while pages render."""
    return [(path, scan_html(html)) for path, html in pages]


def page_path(relative: str) -> str:
    """Site path a visitor uses for an HTML file relative to the site: a/b/index.html -> /a/b/."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def _page_path(file: Path, site_dir: Path) -> str:
    return page_path(file.relative_to(site_dir).as_posix())


class _Site:
    """Resolves URLs written in pages to site paths, and site paths to files."""

    def __init__(self, site_dir: Path, site_url: str, pages: dict[str, PageScan]):
        self.site_dir = site_dir
        parts = urlsplit(site_url or "/")
        self.origin = (parts.scheme, parts.netloc)
        self.root = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.pages = pages
        self._exists: dict[str, bool] = {}

    def resolve(self, page: str, href: str) -> tuple[str, str] | None:
        """(site path, fragment) for an internal URL, None for an external one."""
        parts = urlsplit(href.strip())
        if parts.scheme and parts.scheme.lower() in EXTERNAL_SCHEMES:
            return None
        if parts.scheme or parts.netloc:
            if (parts.scheme.lower(), parts.netloc.lower()) != (self.origin[0].lower(), self.origin[1].lower()) or not self.origin[1]:
                return None
            path = parts.path or "/"
            if not path.startswith(self.root) and path + "/" != self.root:
                return None
            path = "/" + path[len(self.root):] if path.startswith(self.root) else "/"
        elif parts.path.startswith("/"):
            # Root-relative (the 404 page uses these): relative to the site's folder on the server.
            if not parts.path.startswith(self.root):
                return ("\0" + parts.path, parts.fragment)
            path = posixpath.normpath("/" + parts.path[len(self.root):]) + ("/" if parts.path.endswith(("/", "/.")) else "")
            path = path.replace("//", "/")
        elif parts.path:
            base = page if page.endswith("/") else posixpath.dirname(page) + "/"
            path = posixpath.normpath(posixpath.join(base, parts.path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            if path.startswith("//"):
                path = path[1:]
        else:
            path = page  # "#anchor" or "?query" on the same page
        return unquote(path), unquote(parts.fragment)

    def page_for(self, path: str) -> str | None:
        """The page a site path shows ("/a/b" and "/a/b/" both show /a/b/index.html)."""
        if path in self.pages:
            return path
        if not path.endswith("/") and path + "/" in self.pages:
            return path + "/"
        return None

    def file_exists(self, path: str) -> bool:
        # Every page links the same style sheet, scripts and shared forms: ask the disk once per path.
        known = self._exists.get(path)
        if known is None:
            target = self.site_dir / path.lstrip("/")
            known = not (path.startswith("\0") or ".." in path.split("/")) and (
                target.is_file() or (target / "index.html").is_file()
            )
            self._exists[path] = known
        return known

    def links(self, page: str, scan: PageScan, keep: bool) -> list[tuple[str, bool, tuple[str, str] | None]]:
        """(href, clickable, resolved) for every link of the page; kept on the scan when asked."""
        site_key = (self.origin, self.root)
        if scan.resolved is not None and scan.resolved[0] == site_key:
            return scan.resolved[1]
        links = [(h, True, self.resolve(page, h)) for h in scan.clicks] + [(h, False, self.resolve(page, h)) for h in scan.assets]
        if keep:
            scan.resolved = (site_key, links)
        return links


def check_site(
    site_dir: Path,
    site_url: str,
    procedure_paths: list[str],
    max_clicks: int = 3,
    home: str = "/",
    scans: dict[str, PageScan] | None = None,
    keep_resolved: bool = False,
) -> LinkReport:
    """Scan every HTML file under site_dir once, then walk and check. procedure_paths are like "/thu-tuc/x/".

    `scans` holds pages already scanned from memory while they were written (the build does that in a
    helper process); only the other HTML files are read from disk. keep_resolved stores each page's
    resolved links on its scan, for a caller that checks again with mostly the same scans (the preview).
    """
    site_dir = Path(site_dir)
    known = scans or {}
    pages: dict[str, PageScan] = {}
    for file in sorted(site_dir.rglob("*.html")):
        path = _page_path(file, site_dir)
        pages[path] = known[path] if path in known else scan_html(file.read_bytes())
    site = _Site(site_dir, site_url, pages)
    report = LinkReport(pages=len(pages))
    edges: dict[str, list[str]] = {}
    for page, scan in pages.items():
        targets: list[str] = []
        for href, clickable, resolved in site.links(page, scan, keep_resolved):
            if resolved is None:
                continue
            path, fragment = resolved
            target = site.page_for(path)
            if target is None:
                if not site.file_exists(path):
                    kind = "link" if clickable else "asset"
                    report.problems.append(Problem(kind, page, href, path.lstrip("\0")))
                continue
            if clickable:
                targets.append(target)
                if fragment and fragment not in pages[target].ids:
                    report.problems.append(Problem("anchor", page, href, target))
        edges[page] = targets
    # Breadth-first from the home page: the first time a page is reached is its fewest clicks.
    if home in pages:
        report.depths[home] = 0
        queue = deque([home])
        while queue:
            current = queue.popleft()
            for target in edges[current]:
                if target not in report.depths:
                    report.depths[target] = report.depths[current] + 1
                    report.parents[target] = current
                    queue.append(target)
    for procedure in procedure_paths:
        depth = report.depths.get(procedure)
        if depth is None or depth > max_clicks:
            report.too_deep.append((procedure, depth))
        if depth is not None and depth > report.deepest[1]:
            report.deepest = (procedure, depth)
    return report


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return lines[:MAX_LISTED] + [f"  … và {len(lines) - MAX_LISTED} mục khác."]


def format_report(report: LinkReport, max_clicks: int, title: str = "Kiểm tra liên kết không đạt, chưa xuất bản") -> str:
    """The Vietnamese message that stops a build: every problem, one line each (long lists are cut)."""
    lines: list[str] = []
    deep = []
    for procedure, depth in report.too_deep:
        if depth is None:
            deep.append(f"  - {procedure}: không thể đến từ trang chủ bằng các liên kết (không dùng tìm kiếm).")
        else:
            clicks = " → ".join(report.click_path(procedure))
            deep.append(f"  - {procedure}: cần {depth} lần nhấp từ trang chủ (tối đa {max_clicks}). Đường đi: {clicks}")
    if deep:
        lines.append(f"{len(deep)} thủ tục không đến được trong {max_clicks} lần nhấp từ trang chủ:")
        lines += _listed(deep)
    kinds = {
        "link": ("liên kết hỏng", "không có trang hoặc tệp {detail}"),
        "anchor": ("neo (#) hỏng", "trang {detail} không có phần tử mang id này"),
        "asset": ("tệp được tham chiếu nhưng không có", "không có tệp {detail}"),
    }
    for kind, (heading, detail) in kinds.items():
        found = [p for p in report.problems if p.kind == kind]
        if found:
            lines.append(f"{len(found)} {heading}:")
            lines += _listed([f"  - trong trang {p.page}: “{p.href}”: {detail.format(detail=p.detail)}." for p in found])
    return f"{title}:\n" + "\n".join(lines)
