"""A print-ready A4 PDF of a form, with Liberation Serif embedded as a TrueType subset (reportlab).

It is also a fillable PDF: an AcroForm text field lies on each writing line, a check box (or radio
button) on each option's square, named like the inputs of the fill-in page (`Entry.name`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ..content.form_definition import (
    CHECKBOX,
    DATE_LINE,
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    NOTES_HEADING,
    RECIPIENT_PREFIX,
    Block,
    Entry,
    FormDefinition,
)
from . import layout
from .fields import option_value, table_cell_name
from .fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_pdf_fonts

DOT_GAP_PT = 3.0
MIN_DOTS_PT = 14 * mm  # less room than this after a label: the dots start on the next line
PAGE_LABEL = "Trang {page}/{total}"
# Tables set Helvetica on every cell, even empty ones, which would declare a font the PDF does not embed.
_CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)
# AcroForm fields: reportlab's form API only names the 14 standard fonts, so fields use Times-Roman
# (Times New Roman's metrics, like the printed text); no border or fill, the dots stay visible.
FIELD_STYLE = {"fontName": "Times-Roman", "fontSize": layout.BODY_PT - 1, "borderWidth": 0, "borderColor": None,
               "fillColor": None, "textColor": colors.black, "relative": True, "annotationFlags": "print"}
FIELD_HEIGHT_PT = layout.WRITING_LINE_MM * mm * 0.8


def _style(name: str, font: str = REGULAR, size: float = layout.BODY_PT, **kwargs) -> ParagraphStyle:
    kwargs.setdefault("leading", size * 1.35)
    return ParagraphStyle(name, fontName=font, fontSize=size, **kwargs)


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "national": _style("national", BOLD, alignment=TA_CENTER),
        "motto": _style("motto", BOLD, size=layout.TITLE_PT, alignment=TA_CENTER),
        "code": _style("code", BOLD, alignment=TA_CENTER),
        "issued": _style("issued", ITALIC, size=layout.SMALL_PT, alignment=TA_CENTER),
        "title": _style("title", BOLD, size=layout.TITLE_PT + 1, alignment=TA_CENTER, spaceBefore=16, spaceAfter=2),
        "subtitle": _style("subtitle", ITALIC, alignment=TA_CENTER),
        "recipient": _style("recipient", REGULAR, alignment=TA_CENTER, spaceBefore=10, spaceAfter=8),
        "heading": _style("heading", BOLD, spaceBefore=8, spaceAfter=2),
        "text": _style("text", REGULAR, alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=3, spaceAfter=3,
                       leading=layout.BODY_PT * 1.5),
        "cell_head": _style("cell_head", BOLD, size=layout.SMALL_PT, alignment=TA_CENTER),
        "sign_date": _style("sign_date", ITALIC, alignment=TA_CENTER),
        "date_right": _style("date_right", ITALIC, alignment=TA_RIGHT, spaceAfter=2),
        "sign_title": _style("sign_title", BOLD, alignment=TA_CENTER),
        "sign_guide": _style("sign_guide", ITALIC, size=layout.SMALL_PT, alignment=TA_CENTER),
        "notes_head": _style("notes_head", BOLD_ITALIC, size=layout.NOTE_PT, spaceBefore=10),
        "note": _style("note", REGULAR, size=layout.NOTE_PT, alignment=TA_JUSTIFY),
        "page": _style("page", REGULAR, size=layout.SMALL_PT, alignment=TA_RIGHT),
    }


Run = tuple[str, str]  # (text, font name)


def _words(runs: list[Run]) -> list[Run]:
    """Split runs into words that keep their trailing space, so wrapping never loses a space."""
    words: list[Run] = []
    for text, font in runs:
        start = 0
        for index, char in enumerate(text):
            if char == " ":
                words.append((text[start : index + 1], font))
                start = index + 1
        if start < len(text):
            words.append((text[start:], font))
    return words


def _wrap(runs: list[Run], width: float, size: float) -> tuple[list[list[tuple[float, str, str]]], float]:
    """Greedy line breaking: lines of (x, text, font) and where the last line's text ends."""
    lines: list[list[tuple[float, str, str]]] = [[]]
    x = 0.0
    for word, font in _words(runs):
        w = pdfmetrics.stringWidth(word, font, size)
        if x > 0 and x + pdfmetrics.stringWidth(word.rstrip(), font, size) > width:
            lines.append([])
            x = 0.0
        lines[-1].append((x, word, font))
        x += w
    end = 0.0
    if lines[-1]:
        x0, word, font = lines[-1][-1]
        end = x0 + pdfmetrics.stringWidth(word.rstrip(), font, size)
    return lines, end


class FillIn(Flowable):
    """Label runs followed by a dotted writing line to the right margin, plus extra dotted lines.

    Dots are drawn as a round-capped dash pattern, not typed "….", so text extraction sees only the label.
    """

    def __init__(self, segments: list[list[Run]], extra_lines: int = 0, dotted: bool = True, boxes: int = 0,
                 entries: tuple[Entry, ...] = (), options: tuple[str, ...] = ()):
        super().__init__()
        self.entries = entries  # one per segment (a field per dotted part), or the choice
        self.options = options
        self.segments = segments  # one segment per label sharing the line (a `row`), usually one
        self.extra_lines = extra_lines
        self.dotted = dotted and not boxes
        self.boxes = boxes
        self.size = layout.BODY_PT
        self.pitch = layout.WRITING_LINE_MM * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._widths = [w * mm for w in layout.segment_widths(["".join(t for t, _ in runs) for runs in self.segments])]
        self._layouts = [_wrap(runs, width - DOT_GAP_PT, self.size) for runs, width in zip(self.segments, self._widths, strict=True)]
        text_lines = max(len(lines) for lines, _ in self._layouts)
        room = avail_width - self._layouts[0][1]
        self._dots_below = (self.dotted and len(self.segments) == 1 and room < MIN_DOTS_PT) or (
            self.boxes > 0 and room < DOT_GAP_PT * 2 + self.boxes * layout.BOX_MM * mm)
        self.height = (text_lines + self.extra_lines + (1 if self._dots_below else 0)) * self.pitch
        return avail_width, self.height

    def _dots(self, x1: float, x2: float, baseline: float) -> None:
        if x2 - x1 < 2:
            return
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.7)
        canvas.setLineCap(1)
        canvas.setDash([0.01, 2.6])
        canvas.line(x1, baseline, x2, baseline)
        canvas.restoreState()

    def _text_field(self, entry: Entry, x1: float, x2: float, baseline: float, lines: int = 1, suffix: str = "") -> None:
        if not entry or x2 - x1 < 10:
            return
        height = FIELD_HEIGHT_PT + (lines - 1) * self.pitch
        flags = "multiline" if lines > 1 else ("comb" if entry.digits else "")
        self.canv.acroForm.textfield(name=entry.name + suffix, tooltip=entry.label, x=x1, y=baseline - 2, width=x2 - x1,
                                     height=height, maxlen=entry.digits or 2000, fieldFlags=flags, **FIELD_STYLE)

    def _option_fields(self, lines: list, top_baseline: float) -> None:
        """A check box (or radio button) over each option's printed square."""
        entry = self.entries[0]
        options = iter(self.options)
        size = self.size * 0.95
        for number, line in enumerate(lines):
            baseline = top_baseline - number * self.pitch
            for x, word, _font in line:
                if not word.startswith(CHECKBOX):
                    continue
                value = option_value(next(options))
                place = {"x": x, "y": baseline - size * 0.18, "size": size, "relative": True, "borderWidth": 0,
                         "borderColor": None, "fillColor": None, "tooltip": entry.label, "buttonStyle": "cross"}
                if entry.type == "checkbox":
                    self.canv.acroForm.checkbox(name=f"{entry.name}-{value}", fieldFlags="", **place)
                else:
                    self.canv.acroForm.radio(name=entry.name, value=value, fieldFlags="noToggleToOff radio", **place)

    def draw(self) -> None:
        canvas = self.canv
        first_baseline = self.height - self.pitch * 0.72
        if self.options and self.entries:
            self._option_fields(self._layouts[0][0], first_baseline)
        last_baseline = first_baseline
        left = 0.0
        for index, (lines, end) in enumerate(self._layouts):
            segment_width = self._widths[index]
            baseline = first_baseline
            for line in lines:
                for x, word, font in line:
                    canvas.setFont(font, self.size)
                    canvas.drawString(left + x, baseline, word)
                baseline -= self.pitch
            baseline += self.pitch
            last_baseline = min(last_baseline, baseline)
            if self.dotted and not self._dots_below:
                x1, x2 = left + end + DOT_GAP_PT, left + segment_width - (DOT_GAP_PT if index < len(self.segments) - 1 else 0)
                self._dots(x1, x2, baseline)
                if index < len(self.entries):
                    self._text_field(self.entries[index], x1, x2, baseline)
            left += segment_width
        if self.boxes:
            left = 0.0 if self._dots_below else self._layouts[0][1] + DOT_GAP_PT * 2
            baseline = last_baseline - (self.pitch if self._dots_below else 0)
            side = layout.BOX_MM * mm
            self.canv.setLineWidth(0.6)
            for index in range(self.boxes):
                self.canv.rect(left + index * side, baseline - side * 0.3, side, side)
            if self.entries:
                self._text_field(self.entries[0], left, left + self.boxes * side, baseline)
            return
        baseline = last_baseline
        below = self.extra_lines + (1 if self._dots_below else 0)
        for _ in range(below):
            baseline -= self.pitch
            self._dots(0, self.width, baseline)
        if below and self.dotted and self.entries:
            # The lines under the label: one multi-line field (the whole entry when the label took the first line).
            self._text_field(self.entries[0], 0, self.width, baseline, below, "" if self._dots_below else "-tiep")


class _CellField(Flowable):
    """A text field filling an empty table cell."""

    def __init__(self, name: str, tooltip: str):
        super().__init__()
        self.name, self.tooltip = name, tooltip

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, FIELD_HEIGHT_PT * 0.5

    def draw(self) -> None:
        self.canv.acroForm.textfield(name=self.name, tooltip=self.tooltip, x=-3, y=-2, width=self.width + 6,
                                     height=FIELD_HEIGHT_PT, maxlen=500, **FIELD_STYLE)


def _label_runs(block: Block, colon: bool = True) -> list[Run]:
    label, guidance = layout.field_label(block)
    runs: list[Run] = [(label, REGULAR)]
    if guidance:
        runs.append((" " + guidance, ITALIC))
    if colon and layout.needs_colon(guidance or label):
        runs.append((":", REGULAR))
    return runs


def _block(block: Block, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if block.kind == "heading":
        return [Paragraph(escape(block.label), styles["heading"])]
    if block.kind == "text":
        return [Paragraph(escape(block.label), styles["text"])]
    if block.kind == "field":
        return [FillIn([_label_runs(block)], extra_lines=block.lines - 1, boxes=block.boxes, entries=block.entries)]
    if block.kind == "row":
        return [FillIn([[(text, REGULAR)] for text in layout.row_texts(block)], entries=block.entries)]
    if block.kind == "choice":
        runs = _label_runs(block) + [("  ", REGULAR)]
        for option in block.labels:
            runs.append((f"{CHECKBOX}\u00a0{option}" + "\u00a0" * 4 + " ", REGULAR))
        return [FillIn([runs], dotted=False, entries=block.entries, options=block.labels)]
    # table
    story: list[Flowable] = []
    if block.label or block.number:
        label = f"{block.number} {block.label}".strip()
        story.append(FillIn([[(label + (":" if block.label and layout.needs_colon(label) else ""), REGULAR)]], dotted=False))
    width = layout.TEXT_WIDTH_MM * mm
    head = [Paragraph(escape(column), styles["cell_head"]) for column in block.labels]
    name = block.entries[0].name if block.entries else ""
    rows = [head] + [[_CellField(table_cell_name(name, row, column), f"{block.label} {row}, {label}".strip()) if name else ""
                      for column, label in enumerate(block.labels, start=1)] for row in range(1, block.rows + 1)]
    table = Table(rows, colWidths=[w * width for w in layout.column_widths(block)],
                  rowHeights=[None] + [layout.TABLE_ROW_MM * mm] * block.rows, repeatRows=1)
    table.setStyle(TableStyle([_CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, 0), 3),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ]))
    story.append(table)
    story.append(Spacer(1, 3 * mm))
    return story


def _header(definition: FormDefinition, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    width = layout.TEXT_WIDTH_MM * mm
    if definition.code or definition.issued_by:
        cell = []
        if definition.code:
            cell.append(Paragraph(escape(definition.code), styles["code"]))
        if definition.issued_by:
            cell.append(Paragraph(escape(definition.issued_by), styles["issued"]))
        box = Table([["", cell]], colWidths=[width - 78 * mm, 78 * mm])
        box.setStyle(TableStyle([_CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        story += [box, Spacer(1, 4 * mm)]
    story.append(Paragraph(escape(NATIONAL_NAME), styles["national"]))
    story.append(Paragraph(escape(NATIONAL_MOTTO), styles["motto"]))
    motto_width = pdfmetrics.stringWidth(NATIONAL_MOTTO, BOLD, layout.TITLE_PT)
    story.append(HRFlowable(width=motto_width, thickness=0.6, color=colors.black, hAlign="CENTER", spaceBefore=1, spaceAfter=2))
    story.append(Paragraph(escape(definition.title.upper()), styles["title"]))
    if definition.subtitle:
        story.append(Paragraph(escape(definition.subtitle), styles["subtitle"]))
    if definition.recipient:
        story.append(Paragraph(escape(RECIPIENT_PREFIX + definition.recipient), styles["recipient"]))
    else:
        story.append(Spacer(1, 6 * mm))
    return story


def _signatures(definition: FormDefinition, styles: dict[str, ParagraphStyle]) -> Flowable:
    columns = layout.signature_columns(definition)
    signatures = [None] * (columns - len(definition.signatures)) + list(definition.signatures)
    in_table = definition.date_line and not layout.date_above_signatures(definition)
    date_row = [""] * (columns - 1) + [Paragraph(escape(DATE_LINE), styles["sign_date"]) if in_table else ""]
    title_row = [Paragraph(escape(s.title.upper()), styles["sign_title"]) if s else "" for s in signatures]
    guide_row = [Paragraph(escape(s.guidance), styles["sign_guide"]) if s and s.guidance else "" for s in signatures]
    space_row = [""] * columns
    table = Table([date_row, title_row, guide_row, space_row], colWidths=[w * mm for w in layout.signature_widths(definition)],
                  rowHeights=[None, None, None, layout.SIGNATURE_SPACE_MM * mm])
    table.setStyle(TableStyle([_CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    above = [Paragraph(escape(DATE_LINE), styles["date_right"])] if layout.date_above_signatures(definition) else []
    return KeepTogether([Spacer(1, 5 * mm), *above, table])


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so that each can say "Trang 2/3"; nothing is printed on one-page forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if total > 1:
                self.setFont(REGULAR, layout.SMALL_PT)
                label = PAGE_LABEL.format(page=self._pageNumber, total=total)
                self.drawCentredString(A4[0] / 2, layout.MARGIN_BOTTOM_MM * mm / 2, label)
            super().showPage()
        self.page_count = total
        super().save()


def render_pdf(definition: FormDefinition) -> tuple[bytes, int]:
    """The PDF bytes and its number of pages. Identical input gives identical bytes (invariant mode)."""
    register_pdf_fonts()
    styles = _styles()
    story = _header(definition, styles)
    for block in definition.blocks:
        story += _block(block, styles)
    story.append(_signatures(definition, styles))
    if definition.notes:
        story.append(Paragraph(escape(NOTES_HEADING), styles["notes_head"]))
        story += [Paragraph(escape(note), styles["note"]) for note in definition.notes]
    buffer = io.BytesIO()
    canvases: list[_NumberedCanvas] = []

    def make_canvas(*args, **kwargs) -> _NumberedCanvas:
        canvas = _NumberedCanvas(*args, **kwargs)
        canvases.append(canvas)
        return canvas

    document = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, lang="vi-VN",
        initialFontName=REGULAR, initialFontSize=layout.BODY_PT,  # else Helvetica, a font not embedded, is declared
        leftMargin=layout.MARGIN_LEFT_MM * mm, rightMargin=layout.MARGIN_RIGHT_MM * mm,
        topMargin=layout.MARGIN_TOP_MM * mm, bottomMargin=layout.MARGIN_BOTTOM_MM * mm,
        title=definition.title, subject=definition.code or definition.title, author="", creator="thutuc",
    )
    document.build(story, canvasmaker=make_canvas)
    return buffer.getvalue(), canvases[-1].page_count
