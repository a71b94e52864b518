"""Vietnamese text helpers shared by slugs, sorting and search."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without tones or diacritics: "Đăng ký" -> "dang ky"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def slug(text: str) -> str:
    """URL slug from Vietnamese text: "Đăng ký khai sinh" -> "dang-ky-khai-sinh"."""
    return slugify(fold(text))


SLUG_MAX = 80


def cut_slug(text_slug: str, limit: int = SLUG_MAX) -> str:
    """The longest run of whole words within limit. (python-slugify's word_boundary skips a word that
    does not fit and goes on with shorter later ones: "gan-lien-voi" became "gan-voi".)"""
    if len(text_slug) <= limit:
        return text_slug
    head = text_slug[: limit + 1]
    return head[: head.rindex("-")] if "-" in head else text_slug[:limit]


def procedure_slug(title: str, code: str) -> str:
    """Slug for a procedure URL: the folded title, cut to 80 characters at a word boundary, and the code
    ("dang-ky-khai-sinh-1-001193"). This is the one function that computes procedure addresses; changing
    it changes published addresses: the lifecycle register (content/published-addresses.txt) turns every
    changed address into a redirect."""
    return f"{cut_slug(slug(title))}-{slugify(code)}"


def plain_text(markdown_text: str) -> str:
    """Markdown to one line of plain text (for summaries and meta descriptions)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    text = re.sub(r"^\s*([-+]|\d+\.)\s+", " ", text, flags=re.MULTILINE)
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis when longer than limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.- ")
    return cut + "…"

