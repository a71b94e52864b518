"""Find the serif font embedded in generated PDFs, at run time, and check that it covers Vietnamese.

Liberation Serif 2.x (Debian `fonts-liberation2`) is metric-compatible with Times New Roman, the font
Decree 30/2020/NĐ-CP names; 1.07 (`fonts-liberation`) lacks ơ, ư and most toned vowels.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_DIR_ENV = "THUTUC_FONT_DIR"
# Names the PDF writer registers the four styles under.
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"
FAMILY = "LiberationSerif"
STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}

SEARCH_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation-serif",
    "/usr/share/fonts/liberation",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
)

# ơ ư đ and a few toned vowels that 1.07 lacks: a font without them would print boxes.
VIETNAMESE_PROBE = "ơưđĐƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"

INSTALL_HINT = "cài gói phông chữ fonts-liberation2 (Debian/Ubuntu: sudo apt-get install fonts-liberation2)"


class FontMissing(Exception):
    """The fonts cannot print Vietnamese: the message is Vietnamese and says what to install."""


@dataclass(frozen=True)
class FontSet:
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def _candidates() -> list[Path]:
    """THUTUC_FONT_DIR, when set, is the only folder searched (a site may ship its own copy)."""
    if os.environ.get(FONT_DIR_ENV):
        return [Path(os.environ[FONT_DIR_ENV]).expanduser()]
    return [Path(d).expanduser() for d in SEARCH_DIRS]


@cache
def _charset(path: Path) -> frozenset[int]:
    """Code points the font has glyphs for (empty when the file is not a usable TrueType font)."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        return frozenset(TTFontFile(str(path)).charToGlyph)
    except (TTFError, OSError, ValueError):
        return frozenset()


def _covers(path: Path, text: str) -> str:
    """The characters of `text` the font has no glyph for ("" when it covers all)."""
    charset = _charset(path)
    return "".join(sorted({ch for ch in text if ord(ch) not in charset and not ch.isspace()}))


@cache
def find_fonts() -> FontSet:
    """The first folder holding all four Liberation Serif styles with Vietnamese glyphs."""
    seen_old = ""
    for folder in _candidates():
        paths = {key: folder / f"{FAMILY}-{style}.ttf" for key, style in STYLES.items()}
        if not all(p.is_file() for p in paths.values()):
            continue
        missing = _covers(paths["regular"], VIETNAMESE_PROBE)
        if missing:
            seen_old = str(folder)
            continue
        return FontSet(**paths)
    if seen_old:
        raise FontMissing(
            f"phông chữ Liberation Serif trong {seen_old} là bản cũ, thiếu chữ tiếng Việt (ơ, ư, dấu thanh) "
            f"nên không sinh được tệp PDF của biểu mẫu; hãy {INSTALL_HINT}."
        )
    searched = ", ".join(str(folder) for folder in _candidates())
    raise FontMissing(
        f"không tìm thấy phông chữ Liberation Serif 2.x (LiberationSerif-Regular.ttf, -Bold, -Italic, -BoldItalic) "
        f"để sinh tệp PDF của biểu mẫu; đã tìm trong: {searched}. Hãy {INSTALL_HINT}."
    )


def missing_glyphs(text: str) -> str:
    """Characters of `text` that the found font cannot print."""
    return _covers(find_fonts().regular, text)


@cache
def register_pdf_fonts() -> None:
    """Register the four styles with reportlab (which embeds them as TrueType subsets)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = find_fonts()
    for name, path in ((REGULAR, fonts.regular), (BOLD, fonts.bold), (ITALIC, fonts.italic), (BOLD_ITALIC, fonts.bold_italic)):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)


def text_width_mm(text: str, size: float) -> float:
    """Printed width of regular text; Liberation Serif has Times New Roman's metrics, so it holds for .docx/.odt too."""
    from reportlab.pdfbase import pdfmetrics

    register_pdf_fonts()
    return pdfmetrics.stringWidth(text, REGULAR, size) * 25.4 / 72
