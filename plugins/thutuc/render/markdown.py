"""Markdown from editors to safe HTML: raw HTML is shown as text, never executed."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markdown.extensions import Extension
from markupsafe import Markup

from .budget import MarkdownTooSlow, guard

__all__ = ["MarkdownTooSlow", "NoRawHtml", "markdown_hazard", "render_inline", "render_markdown", "sanitize_page"]

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


# Validated text renders in well under a second (see markdown_hazard); this only stops what slipped by.
# The texts of a file and of a build also share budgets (render_budget.py).
RENDER_SECONDS = 10.0


def _time_limit(text: str):
    """Raise MarkdownTooSlow when rendering runs past RENDER_SECONDS or a shared budget."""
    return guard(text, RENDER_SECONDS)


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
    with _time_limit(text):
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


_SCHEME_OR_HOST = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:|[/\\]{2})")


def is_outside_url(url: str) -> bool:
    """True for an address that leaves the site: any scheme (http:, data:) or a host ("//x"; browsers read "/\\x" so too)."""
    cleaned = "".join(ch for ch in url if ch > " ")
    return bool(_SCHEME_OR_HOST.match(cleaned))


def _no_outside_images(tag: str, attribute: str, value: str) -> str | None:
    # Validation refuses such images (pages_source.py); this keeps any that slipped by out of the HTML.
    if tag == "img" and attribute == "src" and is_outside_url(value):
        return None
    return value


def sanitize_page(html: str) -> str:
    """An ordinary page's HTML without scripts, event handlers, styles, script URLs or images from other hosts."""
    return nh3.clean(
        html,
        tags=_PAGE_TAGS,
        attributes=_PAGE_ATTRIBUTES,
        attribute_filter=_no_outside_images,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


# -- Markdown that Python-Markdown renders in super-linear time ---------------------------------------
# Measured (benchmarks are not needed to see it): each "[" scans ahead to its matching "]", so 2,000
# unclosed "[" take ~1 s and 50,000 take minutes; "[a](" without ")" and nested "[[[…]]]" do the same,
# and lists or quotes nested hundreds deep ("1. 1. 1. …", "> > > …") recurse until Python gives up.
# Real text never comes near these limits; within them rendering stays linear.
MAX_UNCLOSED_BRACKETS = 20
MAX_BRACKET_DEPTH = 4
MAX_BLOCK_DEPTH = 16
# Each emphasis or code marker costs the inline processor a pass over its paragraph, and fenced_code
# (ordinary pages) scans to the end of the text for every unclosed fence: 25,000 "*a" in one paragraph
# took seconds, a page of 100 KB of unclosed fences minutes. Real pages use a few dozen of either.
MAX_MARKERS = 20_000  # "*", "_" and "`" in one text
MAX_PARAGRAPH_MARKERS = 2_000  # in one paragraph (lines between blank lines)
MAX_FENCES = 100  # lines opening or closing a ``` or ~~~ code block
_MARKER = re.compile(r"[*_`]")
_PARAGRAPH = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
_FENCE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})", re.MULTILINE)
_MARKER_HINT = "bớt chữ đậm, nghiêng và dấu `; viết \\* hoặc \\_ nếu muốn hiện dấu như chữ thường."
# A line that may nest more than MAX_BLOCK_DEPTH: 5+ leading blanks (20+ columns) or 5+ markers in its prefix.
_MAYBE_DEEP = re.compile(r"^(?:[ \t]{5,}|(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])){5,})", re.MULTILINE)
_BLOCK_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")


def _block_depth(line: str) -> int:
    """How deeply a line nests lists and quotes: indentation (4 columns a level) plus markers on the line."""
    expanded = line.expandtabs(4)
    depth = (len(expanded) - len(expanded.lstrip(" "))) // 4
    position = 0
    while match := _BLOCK_MARKER.match(expanded, position):
        if match.end() == position:
            break
        depth += 1
        position = match.end()
    return depth


def _bracket_pairs(text: str) -> tuple[list[int], set[int], set[int], list[int]]:
    """Pair "[" with "]" (an escaped "\\[" is text): (unclosed "[" offsets, paired "[" and "]" offsets,
    offsets of a "(" right after "]" that never closes)."""
    opened: list[int] = []
    paired_open: set[int] = set()
    paired_close: set[int] = set()
    parens: list[tuple[int, bool]] = []  # (offset, opens a link address)
    escaped = False
    previous = ""
    for offset, char in enumerate(text):
        if escaped:
            escaped, char = False, ""
        elif char == "\\":
            escaped = True
        elif char == "[":
            opened.append(offset)
        elif char == "]" and opened:
            paired_open.add(opened.pop())
            paired_close.add(offset)
        elif char == "(":
            parens.append((offset, previous == "]"))
        elif char == ")" and parens:
            parens.pop()
        previous = char
    return opened, paired_open, paired_close, [offset for offset, link in parens if link]


def markdown_hazard(text: str) -> tuple[int, str, str] | None:
    """(line in text, message, hint) when a Markdown text would take Python-Markdown super-linear time.

    Linear: brackets are paired (an escaped "\\[" does not count), a "(" right after "]" opens a link
    address that must close, and list or quote nesting is bounded line by line.
    """
    # Fast paths (most fields): fewer "[" than any limit cannot break one; no deep prefix, no deep nesting.
    if text.count("[") > MAX_BRACKET_DEPTH:
        found = _bracket_hazard(text)
        if found is not None:
            return found
    if len(text) > MAX_PARAGRAPH_MARKERS:
        found = _marker_hazard(text)
        if found is not None:
            return found
    if text.count("```") + text.count("~~~") > MAX_FENCES:
        fences = [match.start() for match in _FENCE.finditer(text)]
        if len(fences) > MAX_FENCES:
            return text.count("\n", 0, fences[MAX_FENCES]) + 1, (
                f"có {len(fences)} dòng mở hoặc đóng khối mã ``` hay ~~~ (tối đa {MAX_FENCES}): đoạn này sẽ làm việc "
                "xây dựng trang chậm hàng phút."
            ), "đóng mỗi khối mã bằng một dòng ``` giống dòng mở; viết \\``` nếu muốn hiện dấu như chữ thường."
    if _MAYBE_DEEP.search(text):
        for number, text_line in enumerate(text.split("\n"), start=1):
            if _block_depth(text_line) > MAX_BLOCK_DEPTH:
                return number, f"danh sách hoặc trích dẫn lồng nhau quá {MAX_BLOCK_DEPTH} cấp.", (
                    "bớt thụt lề và bớt các dấu “>”, “-”, “1.” liên tiếp ở đầu dòng."
                )
    return None


def _bracket_hazard(text: str) -> tuple[int, str, str] | None:
    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    unclosed, paired_open, paired_close, open_links = _bracket_pairs(text)
    if len(unclosed) > MAX_UNCLOSED_BRACKETS:
        return line_of(unclosed[MAX_UNCLOSED_BRACKETS]), (
            f"có {len(unclosed)} dấu “[” không có dấu “]” đóng (tối đa {MAX_UNCLOSED_BRACKETS}): đoạn này sẽ làm việc "
            "xây dựng trang chậm hàng phút."
        ), "đóng mỗi dấu [ bằng ], hoặc viết \\[ nếu muốn hiện dấu [ như chữ thường."
    if len(open_links) > MAX_UNCLOSED_BRACKETS:
        return line_of(open_links[MAX_UNCLOSED_BRACKETS]), (
            f"có {len(open_links)} liên kết “](” thiếu dấu “)” đóng (tối đa {MAX_UNCLOSED_BRACKETS})."
        ), "viết liên kết dạng [chữ](https://địa-chỉ) với đủ dấu ngoặc đóng."
    depth = 0
    for offset in range(len(text)):
        if offset in paired_open:
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return line_of(offset), f"dấu ngoặc vuông “[…]” lồng nhau quá {MAX_BRACKET_DEPTH} cấp.", (
                    "Markdown chỉ cần [chữ](địa chỉ); viết \\[ nếu muốn hiện dấu [ như chữ thường."
                )
        elif offset in paired_close:
            depth -= 1
    return None


def _marker_hazard(text: str) -> tuple[int, str, str] | None:
    total = text.count("*") + text.count("_") + text.count("`")
    if total > MAX_MARKERS:
        offset = next(m.start() for i, m in enumerate(_MARKER.finditer(text)) if i == MAX_MARKERS)
        return text.count("\n", 0, offset) + 1, (
            f"có {total} dấu “*”, “_” hoặc “`” (tối đa {MAX_MARKERS}): đoạn này sẽ làm việc xây dựng trang chậm hàng phút."
        ), _MARKER_HINT
    if total <= MAX_PARAGRAPH_MARKERS:
        return None
    for paragraph in _PARAGRAPH.finditer(text):
        block = paragraph.group()
        count = block.count("*") + block.count("_") + block.count("`")
        if count > MAX_PARAGRAPH_MARKERS:
            return text.count("\n", 0, paragraph.start()) + 1, (
                f"một đoạn văn có {count} dấu “*”, “_” hoặc “`” (tối đa {MAX_PARAGRAPH_MARKERS} trong một đoạn): "
                "đoạn này sẽ làm việc xây dựng trang chậm hàng phút."
            ), "tách đoạn bằng một dòng trống; " + _MARKER_HINT
    return None
