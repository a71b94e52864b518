"""What happens to a rendered page before it is written: minify it, then scan it for the link check.

This runs in the helper process, in batches, while the build process renders the next pages: on two
cores, minifying 10,000 pages (about 7 s) no longer adds to the build's wall time. The build process
writes what comes back. Pages MkDocs already wrote (minifying off) are only scanned.
"""

from __future__ import annotations

from pathlib import Path

from .fingerprint import COMPRESS_THRESHOLD, gzip_bytes
from .linkgraph import PageScan, scan_html
from .minify import minify_page

# (file to write or None, site path, HTML) in;
# (file to write or None, minified bytes or None, gzip of them or None, site path, scan) out.
PageIn = tuple[str | None, str, str]
PageOut = tuple[str | None, bytes | None, bytes | None, str, PageScan]


def finish_pages(pages: list[PageIn], compress: bool = False) -> list[PageOut]:
    """Minify, scan and (with `compress`) gzip pages; gzip here keeps it off the rendering process."""
    finished: list[PageOut] = []
    for target, path, html in pages:
        if target is None:
            finished.append((None, None, None, path, scan_html(html)))
        else:
            minified = minify_page(html).encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes pages
            compressed = gzip_bytes(minified) if compress and len(minified) >= COMPRESS_THRESHOLD else None
            finished.append((target, minified, compressed, path, scan_html(minified)))
    return finished


def write_finished(pages: list[PageOut], scans: dict[str, PageScan]) -> None:
    """Write the minified pages (and their .gz) and keep their scans (in the build process)."""
    for target, data, compressed, path, scan in pages:
        if target is not None and data is not None:
            file = Path(target)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
            if compressed is not None:
                Path(f"{target}.gz").write_bytes(compressed)
        scans[path] = scan
