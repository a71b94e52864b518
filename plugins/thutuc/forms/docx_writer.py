"""An editable Word (.docx) form: Times New Roman, A4, dotted writing lines as dot-leader tab stops."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..content.form_definition import (
    CHECKBOX,
    DATE_LINE,
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    NOTES_HEADING,
    RECIPIENT_PREFIX,
    Block,
    FormDefinition,
)
from . import layout
from .zipfix import normalise_zip

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # core.xml dates: fixed, so builds are byte-identical
LANGUAGE = "vi-VN"


def _set_fonts(element, size: float | None = None) -> None:
    """Times New Roman for every script slot and Vietnamese as the language, on a style's or run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), layout.FONT_NAME)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    if size:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(int(size * 2)))


class _Writer:
    def __init__(self, definition: FormDefinition, page_count: int):
        self.definition = definition
        self.page_count = page_count
        self.doc = Document()
        self.width = Mm(layout.TEXT_WIDTH_MM)

    # -- building blocks -------------------------------------------------------------------------

    def para(self, text: str = "", *, bold: bool = False, italic: bool = False, size: float = layout.BODY_PT,
             align=None, container=None, space_before: float = 0, space_after: float = 0) -> Paragraph:
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph()
        if text:
            self.run(paragraph, text, bold=bold, italic=italic, size=size)
        if align is not None:
            paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(space_before)
        paragraph.paragraph_format.space_after = Pt(space_after)
        return paragraph

    def run(self, paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = layout.BODY_PT):
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size != layout.BODY_PT:
            run.font.size = Pt(size)
        return run

    def writing_line(self, paragraph: Paragraph, stops: list[float]) -> None:
        """Dot-leader tab stops (in mm from the left margin): Word draws the dots up to each stop.

        The last stop is right-aligned at the margin; earlier ones are left-aligned, so the next label
        starts at the stop (a right stop would right-align that label against it instead).
        """
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Mm(layout.WRITING_LINE_MM)
        for index, stop in enumerate(stops):
            alignment = WD_TAB_ALIGNMENT.RIGHT if index == len(stops) - 1 else WD_TAB_ALIGNMENT.LEFT
            fmt.tab_stops.add_tab_stop(Mm(stop), alignment, WD_TAB_LEADER.DOTS)

    def fill_in(self, runs: list[tuple[str, bool]], extra_lines: int) -> None:
        paragraph = self.para()
        for text, italic in runs:
            self.run(paragraph, text, italic=italic)
        paragraph.add_run(" \t")
        self.writing_line(paragraph, [layout.TEXT_WIDTH_MM])
        for _ in range(extra_lines):
            extra = self.para()
            extra.add_run("\t")
            self.writing_line(extra, [layout.TEXT_WIDTH_MM])

    def boxes(self, runs: list[tuple[str, bool]], count: int) -> None:
        """The label, then one bordered square per digit, in a one-row table."""
        widths = layout.box_columns("".join(text for text, _ in runs), count)
        table = self.borderless_table(len(widths), widths)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        row = table.rows[0]
        row.height = Mm(layout.WRITING_LINE_MM)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        label = row.cells[0].paragraphs[0]
        for text, italic in runs:
            self.run(label, text, italic=italic)
        for cell in row.cells[1 : 1 + count]:
            borders = OxmlElement("w:tcBorders")
            for edge in ("top", "left", "bottom", "right"):
                line = OxmlElement(f"w:{edge}")
                for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                    line.set(qn(key), value)
                borders.append(line)
            cell._tc.get_or_add_tcPr().append(borders)

    def borderless_table(self, columns: int, widths_mm: list[float]):
        table = self.doc.add_table(rows=1, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self.set_widths(table, widths_mm)
        return table

    @staticmethod
    def set_widths(table, widths_mm: list[float]) -> None:
        """Cell widths and the table grid alike: LibreOffice and Word lay out by the grid (w:gridCol)."""
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)

    @staticmethod
    def cell_para(cell: _Cell, first: bool) -> Paragraph:
        return cell.paragraphs[0] if first else cell.add_paragraph()

    # -- form parts ------------------------------------------------------------------------------

    def header(self) -> None:
        d = self.definition
        if d.code or d.issued_by:
            table = self.borderless_table(2, [layout.TEXT_WIDTH_MM - 78, 78])
            cell = table.rows[0].cells[1]
            first = True
            if d.code:
                p = self.cell_para(cell, first)
                self.run(p, d.code, bold=True)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                first = False
            if d.issued_by:
                p = self.cell_para(cell, first)
                self.run(p, d.issued_by, italic=True, size=layout.SMALL_PT)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.para(space_after=4)
        self.para(NATIONAL_NAME, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        motto = self.para(align=WD_ALIGN_PARAGRAPH.CENTER)
        self.run(motto, NATIONAL_MOTTO, bold=True, size=layout.TITLE_PT).underline = True
        self.para(d.title.upper(), bold=True, size=layout.TITLE_PT + 1, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=16)
        if d.subtitle:
            self.para(d.subtitle, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        if d.recipient:
            self.para(RECIPIENT_PREFIX + d.recipient, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=10, space_after=8)
        else:
            self.para(space_after=6)

    def block(self, block: Block) -> None:
        if block.kind == "heading":
            self.para(block.label, bold=True, space_before=8, space_after=2)
        elif block.kind == "text":
            p = self.para(block.label, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_before=3, space_after=3)
            p.paragraph_format.first_line_indent = Mm(10)
            p.paragraph_format.line_spacing = 1.15
        elif block.kind == "field":
            label, guidance = layout.field_label(block)
            runs = [(label, False)]
            if guidance:
                runs.append((" " + guidance, True))
            if layout.needs_colon(guidance or label):
                runs.append((":", False))
            if block.boxes:
                self.boxes(runs, block.boxes)
            else:
                self.fill_in(runs, block.lines - 1)
        elif block.kind == "row":
            paragraph = self.para()
            texts = layout.row_texts(block)
            for index, text in enumerate(texts):
                self.run(paragraph, ("" if index == 0 else " ") + text + " ")
                paragraph.add_run("\t")
            self.writing_line(paragraph, layout.segment_stops(texts))
        elif block.kind == "choice":
            label, guidance = layout.field_label(block)
            paragraph = self.para()
            self.run(paragraph, label)
            if guidance:
                self.run(paragraph, " " + guidance, italic=True)
            colon = ":" if layout.needs_colon(guidance or label) else ""
            options = "    ".join(f"{CHECKBOX}\u00a0{option}" for option in block.labels)
            self.run(paragraph, f"{colon}  {options}")
            self.writing_line(paragraph, [])
        else:
            self.table(block)

    def table(self, block: Block) -> None:
        if block.label or block.number:
            label = f"{block.number} {block.label}".strip()
            p = self.para(label + (":" if block.label and layout.needs_colon(label) else ""))
            self.writing_line(p, [])
        table = self.doc.add_table(rows=1 + block.rows, cols=len(block.labels))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [w * layout.TEXT_WIDTH_MM for w in layout.column_widths(block)]
        self.set_widths(table, widths)
        for row in table.rows[1:]:
            row.height = Mm(layout.TABLE_ROW_MM)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell, column in zip(table.rows[0].cells, block.labels, strict=True):
            p = cell.paragraphs[0]
            self.run(p, column, bold=True, size=layout.SMALL_PT)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header.append(repeat)
        self.para(space_after=2)

    def signatures(self) -> None:
        d = self.definition
        columns = layout.signature_columns(d)
        signatures = [None] * (columns - len(d.signatures)) + list(d.signatures)
        self.para(space_before=4).paragraph_format.keep_with_next = True
        above = layout.date_above_signatures(d)
        if above:  # kept with the signatures below it, never alone at the foot of a page
            self.para(DATE_LINE, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.keep_with_next = True
        table = self.borderless_table(columns, layout.signature_widths(d))
        for index, (cell, signature) in enumerate(zip(table.rows[0].cells, signatures, strict=True)):
            first = True
            if d.date_line and not above:  # every column gets the line, so the titles stay level
                p = self.cell_para(cell, first)
                if index == columns - 1:
                    self.run(p, DATE_LINE, italic=True)
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                first = False
            if signature is None:
                continue
            p = self.cell_para(cell, first)
            self.run(p, signature.title.upper(), bold=True)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if signature.guidance:
                p = cell.add_paragraph()
                self.run(p, signature.guidance, italic=True, size=layout.SMALL_PT)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Keep the signature row on one page, with room to sign below it.
        row = table.rows[0]
        row.height = Mm(layout.SIGNATURE_SPACE_MM + 22)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def notes(self) -> None:
        if not self.definition.notes:
            return
        self.para(NOTES_HEADING, bold=True, italic=True, size=layout.NOTE_PT, space_before=10)
        for note in self.definition.notes:
            self.para(note, size=layout.NOTE_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def page_numbers(self) -> None:
        """"Trang 1/2" in the footer, only for forms longer than a page (as in the PDF)."""
        if self.page_count < 2:
            return
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(footer, "Trang ", size=layout.SMALL_PT)
        self.field(footer, "PAGE")
        self.run(footer, "/", size=layout.SMALL_PT)
        self.field(footer, "NUMPAGES")

    def field(self, paragraph: Paragraph, instruction: str) -> None:
        run = self.run(paragraph, "", size=layout.SMALL_PT)
        for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("text", "1"), ("end", None)):
            if kind == "instr":
                node = OxmlElement("w:instrText")
                node.set(qn("xml:space"), "preserve")
                node.text = text
            elif kind == "text":
                node = OxmlElement("w:t")
                node.text = text
            else:
                node = OxmlElement("w:fldChar")
                node.set(qn("w:fldCharType"), kind)
            run._r.append(node)

    # -- document --------------------------------------------------------------------------------

    def setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(layout.PAGE_WIDTH_MM), Mm(layout.PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP_MM), Mm(layout.MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT_MM), Mm(layout.MARGIN_RIGHT_MM)
        section.footer_distance = Mm(layout.MARGIN_BOTTOM_MM / 2)
        normal = self.doc.styles["Normal"]
        _set_fonts(normal.element, layout.BODY_PT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.line_spacing = 1.15
        for name in ("Table Grid",):
            _set_fonts(self.doc.styles[name].element)
        # The template's thumbnail shows an unrelated page in file browsers: drop it.
        package = self.doc.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rel_id]
        core = self.doc.core_properties
        core.title = self.definition.title
        core.subject = self.definition.code or self.definition.title
        core.author = ""
        core.last_modified_by = ""
        core.comments = ""
        core.keywords = ""
        core.language = LANGUAGE
        core.revision = 1
        core.created = FIXED_DATE
        core.modified = FIXED_DATE
        core.last_printed = FIXED_DATE

    def render(self) -> bytes:
        self.setup()
        self.header()
        for block in self.definition.blocks:
            self.block(block)
        self.signatures()
        self.notes()
        self.page_numbers()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalise_zip(buffer.getvalue())


def render_docx(definition: FormDefinition, page_count: int) -> bytes:
    """The .docx bytes; `page_count` (from the PDF) decides whether the footer numbers pages."""
    return _Writer(definition, page_count).render()
