"""Page layout shared by the three writers, so .docx, .odt and .pdf look like the same paper form.

Sizes follow Decree 30/2020/NĐ-CP for administrative documents: A4, Times New Roman 13-14 pt,
margins top/bottom 20 mm, left 30 mm, right 20 mm.
"""

from __future__ import annotations

from ..content.form_definition import Block, FormDefinition
from .fonts import text_width_mm

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 20.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

FONT_NAME = "Times New Roman"  # named in .docx/.odt; the PDF embeds the metric-compatible Liberation Serif
BODY_PT = 13.0
TITLE_PT = 14.0
SMALL_PT = 11.0
NOTE_PT = 10.5

# Handwriting needs more room than print: one writing line every 8 mm.
WRITING_LINE_MM = 8.0
SIGNATURE_SPACE_MM = 28.0
TABLE_ROW_MM = 8.0
BOX_MM = 6.5  # one square per digit (`boxes`), as for the 12 digits of a personal identification number


def field_label(block: Block) -> tuple[str, str]:
    """(label text, guidance) as printed before the dotted line: "1. Họ, chữ đệm, tên" and "(chữ in hoa)"."""
    label = f"{block.number} {block.label}" if block.number else block.label
    return label, block.guidance


def needs_colon(text: str) -> bool:
    return not text.rstrip().endswith((":", "?", "…"))


def column_widths(block: Block) -> list[float]:
    """Relative widths: the editor's, or a narrow "TT" column and equal others."""
    if block.widths:
        weights = list(block.widths)
    else:
        weights = [1 if col.strip().upper() in ("TT", "STT") else 4 for col in block.labels]
    total = sum(weights)
    return [w / total for w in weights]


def signature_columns(definition: FormDefinition) -> int:
    """A single signature still sits in the right half of the page, as on paper forms."""
    return max(2, len(definition.signatures))


def signature_widths(definition: FormDefinition) -> list[float]:
    """Column widths in mm; with two columns the right one is wider so the date line fits on one line."""
    columns = signature_columns(definition)
    if columns == 2:
        return [TEXT_WIDTH_MM * 0.45, TEXT_WIDTH_MM * 0.55]
    return [TEXT_WIDTH_MM / columns] * columns


def date_above_signatures(definition: FormDefinition) -> bool:
    """Three signature columns are too narrow for the date line: it goes right-aligned above them."""
    return definition.date_line and signature_columns(definition) > 2


def row_texts(block: Block) -> list[str]:
    """The labels of a `row` as printed, the first with the item number: "2. Ngày, tháng, năm sinh:"."""
    texts = []
    for index, label in enumerate(block.labels):
        text = f"{block.number} {label}" if index == 0 and block.number else label
        texts.append(text + (":" if needs_colon(text) else ""))
    return texts


def segment_widths(texts: list[str]) -> list[float]:
    """Widths in mm of the parts of a line shared by several labels: each gets its label plus an equal
    share of the dots, so a long label does not leave a short space to write in."""
    if len(texts) == 1:
        return [TEXT_WIDTH_MM]
    labels = [text_width_mm(text + " ", BODY_PT) for text in texts]
    free = TEXT_WIDTH_MM - sum(labels)
    if free < 10 * len(texts):
        return [TEXT_WIDTH_MM / len(texts)] * len(texts)
    return [width + free / len(texts) for width in labels]


def segment_stops(texts: list[str]) -> list[float]:
    """Tab stop positions (mm) that end each part of a shared line (where the next label starts)."""
    stops, position = [], 0.0
    for width in segment_widths(texts):
        position += width
        stops.append(position)
    return stops


def box_columns(label: str, boxes: int) -> list[float]:
    """Column widths (mm) of a `boxes` field in .docx/.odt: the label, one square per digit, the rest."""
    label_width = min(text_width_mm(label + "  ", BODY_PT) + 2, TEXT_WIDTH_MM - boxes * BOX_MM)
    rest = TEXT_WIDTH_MM - label_width - boxes * BOX_MM
    return [label_width] + [BOX_MM] * boxes + ([rest] if rest > 1 else [])
