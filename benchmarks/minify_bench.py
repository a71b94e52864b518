"""Compare HTML minifiers on a built site: bytes saved, time, and whether visible words survive intact.

Usage (raw HTML: build with the plugin option `minify: false`):
    python benchmarks/minify_bench.py path/to/unminified-site

Needs htmlmin (package htmlmin2) and, to compare, minify-html in the running interpreter. Prints figures;
it asserts nothing (speed is not a test). A minifier "breaks words" when the visible text, with runs of
whitespace collapsed, differs from the original's (e.g. "chào bạn" becoming "chàobạn").
"""

from __future__ import annotations

import gzip
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

# Elements whose edges separate words whatever the whitespace (blocks, form controls, the head's title).
BLOCKS = {"p", "li", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd", "tr", "nav",
          "header", "footer", "title", "label", "button", "input", "ul", "ol", "dl", "table", "caption", "form", "fieldset", "legend"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        # Block boundaries separate words even without whitespace.
        if tag in BLOCKS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).split()


def _minifiers():
    found = {}
    import htmlmin

    found["htmlmin2 (as configured)"] = lambda html: htmlmin.minify(
        html, remove_comments=True, remove_empty_space=False, reduce_boolean_attributes=False,
        remove_optional_attribute_quotes=False, keep_pre=True,
    )
    try:
        import minify_html
    except ImportError:
        print("minify-html not installed: only htmlmin2 is measured.")
    else:
        found["minify-html (safe options)"] = lambda html: minify_html.minify(
            html, keep_closing_tags=True, keep_html_and_head_opening_tags=True, minify_css=False, minify_js=False,
        )
    return found


def main(site: Path) -> None:
    pages = {file: file.read_text("utf-8") for file in sorted(site.rglob("*.html"))}
    original = sum(len(text.encode()) for text in pages.values())
    gzipped = sum(len(gzip.compress(text.encode(), 9)) for text in pages.values())
    print(f"{len(pages)} pages, {original:,} bytes unminified ({gzipped:,} gzipped)")
    for name, minify in _minifiers().items():
        started = time.perf_counter()
        outputs = {file: minify(text) for file, text in pages.items()}
        elapsed = time.perf_counter() - started
        size = sum(len(text.encode()) for text in outputs.values())
        gzipped = sum(len(gzip.compress(text.encode(), 9)) for text in outputs.values())
        broken = [file for file, text in outputs.items() if visible_words(text) != visible_words(pages[file])]
        print(f"{name}: {size:,} bytes ({100 * size / original:.1f} %; {gzipped:,} gzipped), {elapsed * 1000:.0f} ms, "
              f"{len(broken)} pages with changed words{': ' + str(broken[0]) if broken else ''}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
