"""Markdown from editors to safe HTML: raw HTML is shown as text, never executed."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "align"}, "td": {"align"}, "ol": {"start"}}
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Raw HTML blocks and inline tags are escaped rather than passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def has_raw_html(text: str) -> bool:
    return bool(_RAW_HTML.search(text))


def render_markdown(text: str, *, shift_headings: int = 2) -> str:
    """Markdown to sanitised HTML. Headings are shifted so content never outranks the page's h2s."""
    if not text:
        return ""
    converter = _converter()
    html = converter.reset().convert(text)
    if shift_headings:
        html = re.sub(
            r"<(/?)h([1-6])>",
            lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}>",
            html,
        )
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def render_inline(text: str) -> str:
    """Markdown for a short text: the paragraph wrapper is dropped when there is just one."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
