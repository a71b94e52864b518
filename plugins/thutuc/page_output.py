"""What happens to a rendered page before it is written: minify it, then scan it for the link check.

This runs in the helper process, in batches, while the build process renders the next pages: on two
cores, minifying 10,000 pages (about 7 s) no longer adds to the build's wall time. The build process
writes what comes back. Pages MkDocs already wrote (minifying off) are only scanned.
"""

from __future__ import annotations

from pathlib import Path

from .linkgraph import PageScan, scan_html
from .minify import minify_page

# (file to write or None, site path, HTML) in; (file to write or None, minified bytes or None, site path, scan) out.
PageIn = tuple[str | None, str, str]
PageOut = tuple[str | None, bytes | None, str, PageScan]


def finish_pages(pages: list[PageIn]) -> list[PageOut]:
    finished: list[PageOut] = []
    for target, path, html in pages:
        if target is None:
            finished.append((None, None, path, scan_html(html)))
        else:
            minified = minify_page(html).encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes pages
            finished.append((target, minified, path, scan_html(minified)))
    return finished


def write_finished(pages: list[PageOut], scans: dict[str, PageScan]) -> None:
    """Write the minified pages and keep their scans (in the build process)."""
    for target, data, path, scan in pages:
        if target is not None and data is not None:
            file = Path(target)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        scans[path] = scan
