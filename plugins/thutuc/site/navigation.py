"""Per-page navigation and head data for any page, generated or authored (duck-typed: no MkDocs import).

The MkDocs adapter calls these with its page and config objects; only the attributes named here are read
(page.title, page.url, page.is_homepage, page.canonical_url, page.meta; config.site_name, config.site_description).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..content.model import Catalogue
from ..content.problems import Problem, Severity
from .browse import HOME, most_used
from .og_image import SITE_IMAGE, image_url
from .pages import SiteSettings
from .seo import head_meta, in_sitemap, json_ld
from .structured_data import breadcrumb_node, graph


def page_seo(page: Any, spec: Any, config: Any, settings: SiteSettings, own_json_ld: list[dict] | None = None,
             images: Collection[str] = ()) -> dict[str, Any]:
    """{"seo": HeadMeta, "breadcrumbs": [(label, url), …], "json_ld": [Markup, …]} for one page.

    Pages left out of sitemap.xml get noindex,follow: crawlers follow their links but list only sitemap pages.
    Every page with a visible breadcrumb gets its BreadcrumbList, in the page's own @graph when it has one."""
    is_home = bool(getattr(page, "is_homepage", False))
    meta = getattr(page, "meta", {}) or {}
    if spec is not None:
        title, description, trail = spec.title, spec.description, spec.breadcrumbs
    else:
        title = page.title or ""
        description = meta.get("description") or f"{title}: {config.site_description or config.site_name}"
        trail = [HOME]
    head = head_meta(title, config.site_name, description, getattr(page, "canonical_url", "") or "", is_home=is_home,
                     suffix=settings.title_suffix)
    if spec is not None and not spec.in_sitemap:
        head.robots = spec.robots
    image = spec.image if spec is not None and spec.image in images else image_url(SITE_IMAGE)
    if image in images:  # none when no font could draw them
        head.image = settings.absolute(image)
        head.image_alt = f"{title or config.site_name} – {config.site_name}" if not is_home else config.site_name
    blocks = [dict(block) for block in own_json_ld or []]
    if not is_home:  # the breadcrumbs partial shows "Trang chủ" at least
        crumbs = breadcrumb_node(trail or [HOME], title, getattr(page, "url", "") or "", settings)
        graphs = [b for b in blocks if "@graph" in b]
        if not graphs:
            blocks.append(graph([crumbs]))
        elif not any(node.get("@type") == "BreadcrumbList" for node in graphs[0]["@graph"]):
            graphs[0]["@graph"] = [*graphs[0]["@graph"], crumbs]
    return {"seo": head, "breadcrumbs": [] if is_home else trail, "json_ld": [json_ld(b) for b in blocks]}


def doc_lastmod(meta: dict, source: str | None, dates: dict[Path, str]) -> str:
    """Date of an authored page: its `updated` front matter, else its file's last commit."""
    if meta and meta.get("updated"):
        return str(meta["updated"])[:10]
    if source:
        return dates.get(Path(source).resolve(), "")
    return ""


def sitemap_entries(pages: list[tuple[str, str]], settings: SiteSettings) -> list[tuple[str, str]]:
    """(absolute URL, lastmod) of every public page, in a stable order. A page without a date of its own
    (an authored page outside git, the default portal pages) gets the newest content date: every entry
    has a lastmod, never the build time."""
    seen: dict[str, str] = {}
    for url, lastmod in pages:
        if in_sitemap(url):
            seen[url] = lastmod
    newest = max(seen.values(), default="")
    return [(settings.absolute(url), seen[url] or newest) for url in sorted(seen)]


def navigation_warnings(catalogue: Catalogue, settings: SiteSettings, config_path: str) -> list[Problem]:
    """Configuration that cannot be honoured: unknown most-used codes, a rating endpoint that is not a URL."""
    shown = Path(config_path).name
    problems = []
    _chosen, unknown = most_used(catalogue, settings.most_used)
    for code in unknown:
        problems.append(Problem(shown, 1, 1, "plugins.thutuc.most_used",
                                f"không có thủ tục nào mang mã “{code}”; mã này không được hiện trong mục thủ tục dùng nhiều.",
                                Severity.WARNING, "sửa hoặc xóa mã trong mkdocs.yml."))
    endpoint = settings.rating_endpoint
    if endpoint and not endpoint.startswith(("https://", "http://")):
        problems.append(Problem(shown, 1, 1, "plugins.thutuc.rating_endpoint",
                                f"“{endpoint}” không phải địa chỉ https://; trang dùng thư điện tử để nhận đánh giá.",
                                Severity.WARNING, "ghi địa chỉ đầy đủ, ví dụ https://gopy.example.gov.vn/danh-gia."))
    return problems
