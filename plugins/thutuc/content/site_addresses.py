"""The site's own addresses, and the rule that one address is written by one file only.

MkDocs lets a file of docs_dir (content/pages) shadow a theme file of the same path (the favicon) and
writes later files over earlier ones with the same destination: a page named `admin.md` would replace
the browser editor's entry page, and a second procedure whose address slugifies like the first would
replace it. Ordinary pages may not claim these addresses, and the build refuses any two files with one
destination, naming both. No MkDocs imports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

# First path segments the generator writes (pages, lists, forms, editor, schemas, search, theme files).
# Plain strings (browse, editorial and statistics import the loader that imports this module); a test
# compares them with every top-level name of a built site.
RESERVED_SEGMENTS = frozenset({
    "index", "404", "a-z", "admin", "assets", "bieu-mau", "cap", "co-quan", "danh-cho", "linh-vuc", "schema",
    "su-kien", "thu-tuc", "tim-kiem", "search", "feed", "rss", "robots.txt", "sitemap.xml", "sitemap.xml.gz",
    "favicon.ico", "404.html", "index.html", "so-do-cong", "bao-cao-noi-dung", "thong-ke", "thay-doi",
})
# Generated only when content/pages lacks them: an editor may write these pages (browse_pages._portal_defaults).
OVERRIDABLE_PAGES = frozenset({"gioi-thieu", "dich-vu-cong-truc-tuyen"})
# Written after MkDocs' files (plugin.on_post_build, seo.write_sitemap): not in its file list.
LATE_OUTPUTS = ("assets/search/index.json", "assets/search/docs.json", "sitemap.xml", "sitemap.xml.gz", "robots.txt")


def page_destination(src_uri: str) -> str:
    """Where MkDocs (use_directory_urls) writes a docs_dir file: "a.md" -> "a/index.html", images as they are."""
    path = PurePosixPath(src_uri)
    if path.suffix.lower() != ".md":
        return src_uri
    if path.stem.lower() in ("index", "readme"):
        return str(path.parent / "index.html").removeprefix("./")
    return str(path.with_suffix("") / "index.html")


def reserved_reason(src_uri: str) -> str | None:
    """Why a file of content/pages may not be published at its address (None when it may)."""
    destination = page_destination(src_uri)
    first = destination.split("/", 1)[0].lower()
    if first in OVERRIDABLE_PAGES:
        return None
    if first in RESERVED_SEGMENTS or first.removesuffix(".html") in RESERVED_SEGMENTS:
        shown = "/" + (destination.removesuffix("index.html") if destination.endswith("index.html") else destination)
        return f"địa chỉ {shown} thuộc về trang web (trang, tệp hoặc thư mục do hệ thống tạo), trang thường không được dùng."
    return None


def shared_destinations(outputs: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(destination, sources) for every destination more than one source would write; outputs are (destination, source)."""
    by_destination: dict[str, list[str]] = defaultdict(list)
    for destination, source in outputs:
        sources = by_destination[destination.lower()]  # lower case: many hosts do not tell A.pdf from a.pdf
        if source not in sources:  # one file used by several procedures is one writer
            sources.append(source)
    return [(destination, sources) for destination, sources in sorted(by_destination.items()) if len(sources) > 1]


def shared_message(destination: str, sources: list[str]) -> str:
    shown = "/" + destination.removesuffix("index.html")
    return (f"hai tệp cùng được ghi vào địa chỉ {shown}: {' và '.join(sources)}; trang sau sẽ thay thế trang trước. "
            "Gợi ý: đổi tên một trong hai tệp (hoặc tên, mã thủ tục) để mỗi trang có địa chỉ riêng.")
