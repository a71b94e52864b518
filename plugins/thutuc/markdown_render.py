"""Markdown from editors to safe HTML: raw HTML is shown as text, never executed."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markdown.extensions import Extension
from markupsafe import Markup

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "hr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "align"}, "td": {"align"}, "ol": {"start"}}
_RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
# Anything Markdown could turn into markup: emphasis, code, links, entities, headings, quotes, lists,
# tables, hard breaks, several paragraphs, escapes. Text without these is one plain paragraph.
_NEEDS_MARKDOWN = re.compile(r"[*_`\[\]&<>|\\]|^\s*(#|[-+]\s|\d+[.)]\s)|  \n|\n\s*\n", re.MULTILINE)


class NoRawHtml(Extension):
    """Python-Markdown without raw HTML: tags typed in the text are escaped and shown as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Not strict: the extension may be listed twice (a config reused by `serve` rebuilds).
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Raw HTML blocks and inline tags are escaped rather than passed through.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def has_raw_html(text: str) -> bool:
    return bool(_RAW_HTML.search(text))


def render_markdown(text: str, *, shift_headings: int = 2) -> Markup:
    """Markdown to sanitised HTML. Headings are shifted so content never outranks the page's h2s.

    Returned as Markup: the one kind of value templates print unescaped (autoescape is on).
    """
    if not text:
        return Markup("")
    if not _NEEDS_MARKDOWN.search(text):
        # Plain sentences (most steps and notes) render to one paragraph: skip the Markdown and
        # sanitiser passes, which cost a few milliseconds per page at catalogue scale.
        return Markup("<p>") + text.strip() + Markup("</p>")
    converter = _converter()
    html = converter.reset().convert(text)
    if shift_headings:
        html = re.sub(
            r"<(/?)h([1-6])>",
            lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}>",
            html,
        )
    return Markup(nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    ))


def render_inline(text: str) -> Markup:
    """Markdown for a short text: the paragraph wrapper is dropped when there is just one."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(html[3:-4])
    return html


# Ordinary pages (content/pages/*.md) are rendered by MkDocs' own Markdown, which passes raw HTML
# through; their output is cleaned with a slightly wider list (headings keep their anchors, images).
_PAGE_TAGS = _ALLOWED_TAGS | {"h1", "h2", "pre", "img", "dl", "dt", "dd", "sup", "sub", "abbr", "span", "div"}
_PAGE_ATTRIBUTES = {
    **_ALLOWED_ATTRIBUTES,
    "*": {"id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
}


def sanitize_page(html: str) -> str:
    """An ordinary page's HTML without scripts, event handlers, styles or script URLs."""
    return nh3.clean(
        html,
        tags=_PAGE_TAGS,
        attributes=_PAGE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
