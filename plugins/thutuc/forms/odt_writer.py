"""An OpenDocument (.odt) form for LibreOffice users: same layout as the .docx, built with odfpy."""

from __future__ import annotations

import io

from odf import meta
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    FontFace,
    Footer,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TabStop,
    TabStops,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import P, PageCount, PageNumber, Span
from odf.text import Tab as TabElement

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
from .zipfix import normalise_zip, sort_namespaces

FONT = layout.FONT_NAME


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _pt(value: float) -> str:
    return f"{value:g}pt"


class _Writer:
    def __init__(self, definition: FormDefinition, page_count: int):
        self.definition = definition
        self.page_count = page_count
        self.doc = OpenDocumentText()
        self._styles: dict[str, Style] = {}

    # -- styles ----------------------------------------------------------------------------------

    def style(self, name: str, family: str = "paragraph", *, paragraph: dict | None = None, text: dict | None = None,
              tabs: list[float] | None = None, automatic: bool = True) -> str:
        if name in self._styles:
            return name
        style = Style(name=name, family=family)
        if family == "paragraph":
            style.setAttribute("parentstylename", "Standard")
        if paragraph is not None or tabs is not None:
            props = ParagraphProperties(**(paragraph or {}))
            if tabs is not None:
                stops = TabStops()
                for index, position in enumerate(tabs):  # the last at the margin; see docx_writer.writing_line
                    kind = "right" if index == len(tabs) - 1 else "left"
                    stops.addElement(TabStop(position=_mm(position), type=kind, leaderstyle="dotted", leadertext="."))
                props.addElement(stops)
            style.addElement(props)
        if text:
            style.addElement(TextProperties(**text))
        (self.doc.automaticstyles if automatic else self.doc.styles).addElement(style)
        self._styles[name] = style
        return name

    def span_style(self, bold: bool, italic: bool, size: float) -> str | None:
        if not bold and not italic and size == layout.BODY_PT:
            return None
        name = f"T{'b' if bold else ''}{'i' if italic else ''}{int(size * 10)}"
        text = {"fontsize": _pt(size)}
        if bold:
            text |= {"fontweight": "bold", "fontweightcomplex": "bold"}
        if italic:
            text |= {"fontstyle": "italic", "fontstylecomplex": "italic"}
        return self.style(name, "text", text=text)

    def setup(self) -> None:
        doc = self.doc
        doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=f"'{FONT}'", fontfamilygeneric="roman", fontpitch="variable"))
        default = DefaultStyle(family="paragraph")
        default.addElement(TextProperties(fontname=FONT, fontnamecomplex=FONT, fontnameasian=FONT, fontsize=_pt(layout.BODY_PT),
                                          language="vi", country="VN"))
        doc.styles.addElement(default)
        standard = Style(name="Standard", family="paragraph", attributes={"class": "text"})
        standard.addElement(ParagraphProperties(margintop="0mm", marginbottom="0mm", lineheight="115%"))
        standard.addElement(TextProperties(fontname=FONT, fontsize=_pt(layout.BODY_PT), language="vi", country="VN"))
        doc.styles.addElement(standard)
        page = PageLayout(name="A4")
        page.addElement(PageLayoutProperties(pagewidth=_mm(layout.PAGE_WIDTH_MM), pageheight=_mm(layout.PAGE_HEIGHT_MM),
                                             printorientation="portrait", margintop=_mm(layout.MARGIN_TOP_MM),
                                             marginbottom=_mm(layout.MARGIN_BOTTOM_MM / 2), marginleft=_mm(layout.MARGIN_LEFT_MM),
                                             marginright=_mm(layout.MARGIN_RIGHT_MM)))
        doc.automaticstyles.addElement(page)
        master = MasterPage(name="Standard", pagelayoutname=page)
        if self.page_count > 1:
            footer = Footer()
            footer_style = self.style("PageNo", paragraph={"textalign": "center"}, text={"fontsize": _pt(layout.SMALL_PT)})
            paragraph = P(stylename=footer_style)
            paragraph.addText("Trang ")
            paragraph.addElement(PageNumber(selectpage="current", text="1"))
            paragraph.addText("/")
            paragraph.addElement(PageCount(text=str(self.page_count)))
            footer.addElement(paragraph)
            master.addElement(footer)
        doc.masterstyles.addElement(master)
        for element in list(doc.meta.childNodes):
            doc.meta.removeChild(element)
        doc.meta.addElement(meta.InitialCreator(text=""))
        from odf.dc import Language, Subject, Title

        doc.meta.addElement(Title(text=self.definition.title))
        doc.meta.addElement(Subject(text=self.definition.code or self.definition.title))
        doc.meta.addElement(Language(text="vi-VN"))

    # -- content ---------------------------------------------------------------------------------

    def para(self, style: str, runs: list[tuple[str, bool, bool, float]] | str = "", tabs: int = 0, target=None) -> P:
        paragraph = P(stylename=style)
        if isinstance(runs, str):
            runs = [(runs, False, False, layout.BODY_PT)] if runs else []
        for text, bold, italic, size in runs:
            span_style = self.span_style(bold, italic, size)
            if span_style:
                span = Span(stylename=span_style)
                span.addText(text)
                paragraph.addElement(span)
            else:
                paragraph.addText(text)
        for _ in range(tabs):
            paragraph.addElement(TabElement())
        (target if target is not None else self.doc.text).addElement(paragraph)
        return paragraph

    def centered(self, name: str, *, bold: bool = False, italic: bool = False, size: float = layout.BODY_PT,
                 before: float = 0, after: float = 0, underline: bool = False) -> str:
        text = {"fontsize": _pt(size)}
        if bold:
            text |= {"fontweight": "bold"}
        if italic:
            text |= {"fontstyle": "italic"}
        if underline:
            text |= {"textunderlinestyle": "solid", "textunderlinewidth": "auto", "textunderlinecolor": "font-color"}
        return self.style(name, paragraph={"textalign": "center", "margintop": _pt(before), "marginbottom": _pt(after)}, text=text)

    def writing_style(self, name: str, stops: list[float]) -> str:
        return self.style(name, paragraph={"lineheight": _mm(layout.WRITING_LINE_MM)}, tabs=stops)

    def table(self, name: str, widths_mm: list[float], border: bool, align: str = "center") -> Table:
        table_style = self.style(f"{name}", "table", automatic=True)
        self._styles[name].addElement(TableProperties(width=_mm(sum(widths_mm)), align=align))
        table = Table(name=name, stylename=table_style)
        for index, width in enumerate(widths_mm):
            column_style = f"{name}.C{index}"
            style = Style(name=column_style, family="table-column")
            style.addElement(TableColumnProperties(columnwidth=_mm(width)))
            self.doc.automaticstyles.addElement(style)
            table.addElement(TableColumn(stylename=column_style))
        cell_style = "CellGrid" if border else "CellPlain"
        if cell_style not in self._styles:
            props = {"border": "0.5pt solid #000000", "padding": "1mm"} if border else {"border": "none", "padding": "0.5mm"}
            self.style(cell_style, "table-cell")
            self._styles[cell_style].addElement(TableCellProperties(verticalalign="top", **props))
        self.cell_style = cell_style
        self.doc.text.addElement(table)
        return table

    def header(self) -> None:
        d = self.definition
        if d.code or d.issued_by:
            table = self.table("CodeBox", [layout.TEXT_WIDTH_MM - 78, 78], border=False)
            row = TableRow()
            row.addElement(TableCell(stylename=self.cell_style))
            cell = TableCell(stylename=self.cell_style)
            if d.code:
                self.para(self.centered("Code", bold=True), d.code, target=cell)
            if d.issued_by:
                self.para(self.centered("Issued", italic=True, size=layout.SMALL_PT),
                          [(d.issued_by, False, False, layout.SMALL_PT)], target=cell)
            row.addElement(cell)
            table.addElement(row)
            self.para(self.style("Gap", paragraph={"marginbottom": _pt(4)}))
        self.para(self.centered("National", bold=True), NATIONAL_NAME)
        self.para(self.centered("Motto", bold=True, size=layout.TITLE_PT, underline=True),
                  [(NATIONAL_MOTTO, False, False, layout.TITLE_PT)])
        self.para(self.centered("Title", bold=True, size=layout.TITLE_PT + 1, before=16),
                  [(d.title.upper(), False, False, layout.TITLE_PT + 1)])
        if d.subtitle:
            self.para(self.centered("Subtitle", italic=True), d.subtitle)
        if d.recipient:
            self.para(self.centered("Recipient", before=10, after=8), RECIPIENT_PREFIX + d.recipient)
        else:
            self.para(self.style("Gap6", paragraph={"marginbottom": _pt(6)}))

    def block(self, block: Block, index: int) -> None:
        full = self.writing_style("Fill", [layout.TEXT_WIDTH_MM])
        if block.kind == "heading":
            self.para(self.style("Heading", paragraph={"margintop": _pt(8), "marginbottom": _pt(2)}, text={"fontweight": "bold"}),
                      block.label)
        elif block.kind == "text":
            self.para(self.style("Body", paragraph={"textalign": "justify", "textindent": _mm(10), "margintop": _pt(3),
                                                    "marginbottom": _pt(3)}), block.label)
        elif block.kind == "field":
            label, guidance = layout.field_label(block)
            runs = [(label, False, False, layout.BODY_PT)]
            if guidance:
                runs.append((" " + guidance, False, True, layout.BODY_PT))
            if layout.needs_colon(guidance or label):
                runs.append((":", False, False, layout.BODY_PT))
            if block.boxes:
                self.boxes(runs, block.boxes, index)
                return
            runs.append((" ", False, False, layout.BODY_PT))
            self.para(full, runs, tabs=1)
            for _ in range(block.lines - 1):
                self.para(full, tabs=1)
        elif block.kind == "row":
            texts = layout.row_texts(block)
            paragraph = P(stylename=self.writing_style(f"Row{index}", layout.segment_stops(texts)))
            for position, text in enumerate(texts):
                paragraph.addText(("" if position == 0 else " ") + text + " ")
                paragraph.addElement(TabElement())
            self.doc.text.addElement(paragraph)
        elif block.kind == "choice":
            label, guidance = layout.field_label(block)
            runs = [(label, False, False, layout.BODY_PT)]
            if guidance:
                runs.append((" " + guidance, False, True, layout.BODY_PT))
            colon = ":" if layout.needs_colon(guidance or label) else ""
            options = "    ".join(f"{CHECKBOX}\u00a0{option}" for option in block.labels)
            runs.append((f"{colon}  {options}", False, False, layout.BODY_PT))
            self.para(self.writing_style("Choice", []), runs)
        else:
            self.grid(block, index)

    def boxes(self, runs: list[tuple[str, bool, bool, float]], count: int, index: int) -> None:
        """The label, then one bordered square per digit, in a one-row table."""
        widths = layout.box_columns("".join(text for text, *_ in runs), count)
        table = self.table(f"Boxes{index}", widths, border=False, align="left")
        if "CellBox" not in self._styles:
            self.style("CellBox", "table-cell")
            self._styles["CellBox"].addElement(TableCellProperties(border="0.5pt solid #000000", padding="0mm"))
        row = TableRow(stylename=self.style("BoxRow", "table-row"))
        if not self._styles["BoxRow"].childNodes:
            self._styles["BoxRow"].addElement(TableRowProperties(rowheight=_mm(layout.BOX_MM), minrowheight=_mm(layout.BOX_MM)))
        for column in range(len(widths)):
            cell = TableCell(stylename="CellBox" if 1 <= column <= count else self.cell_style)
            if column == 0:
                self.para("Standard", runs, target=cell)
            else:
                cell.addElement(P(stylename="Standard"))
            row.addElement(cell)
        table.addElement(row)

    def grid(self, block: Block, index: int) -> None:
        if block.label or block.number:
            label = f"{block.number} {block.label}".strip()
            self.para(self.writing_style("Choice", []), label + (":" if block.label and layout.needs_colon(label) else ""))
        widths = [w * layout.TEXT_WIDTH_MM for w in layout.column_widths(block)]
        table = self.table(f"Table{index}", widths, border=True)
        head_style = self.centered("CellHead", bold=True, size=layout.SMALL_PT)
        header_rows = TableHeaderRows()
        header = TableRow()
        for column in block.labels:
            cell = TableCell(stylename=self.cell_style)
            self.para(head_style, [(column, False, False, layout.SMALL_PT)], target=cell)
            header.addElement(cell)
        header_rows.addElement(header)
        table.addElement(header_rows)
        row_style = self.style("EmptyRow", "table-row")
        if not self._styles[row_style].childNodes:
            self._styles[row_style].addElement(TableRowProperties(minrowheight=_mm(layout.TABLE_ROW_MM)))
        for _ in range(block.rows):
            row = TableRow(stylename=row_style)
            for _ in block.labels:
                cell = TableCell(stylename=self.cell_style)
                cell.addElement(P(stylename="Standard"))
                row.addElement(cell)
            table.addElement(row)
        self.para(self.style("Gap2", paragraph={"marginbottom": _pt(2)}))

    def signatures(self) -> None:
        d = self.definition
        columns = layout.signature_columns(d)
        signatures = [None] * (columns - len(d.signatures)) + list(d.signatures)
        self.para(self.style("Gap4", paragraph={"margintop": _pt(4), "keepwithnext": "always"}))
        above = layout.date_above_signatures(d)
        if above:
            self.para(self.style("DateRight", paragraph={"textalign": "end", "keepwithnext": "always"}, text={"fontstyle": "italic"}),
                      DATE_LINE)
        table = self.table("Signatures", layout.signature_widths(d), border=False)
        row_style = self.style("SignRow", "table-row")
        self._styles[row_style].addElement(TableRowProperties(minrowheight=_mm(layout.SIGNATURE_SPACE_MM + 22), keeptogether="always"))
        row = TableRow(stylename=row_style)
        for index, signature in enumerate(signatures):
            cell = TableCell(stylename=self.cell_style)
            if d.date_line and not above:
                text = DATE_LINE if index == columns - 1 else ""
                self.para(self.centered("SignDate", italic=True), text, target=cell)
            if signature is not None:
                self.para(self.centered("SignTitle", bold=True), signature.title.upper(), target=cell)
                if signature.guidance:
                    self.para(self.centered("SignGuide", italic=True, size=layout.SMALL_PT),
                              [(signature.guidance, False, False, layout.SMALL_PT)], target=cell)
            if not cell.childNodes:
                cell.addElement(P(stylename="Standard"))
            row.addElement(cell)
        table.addElement(row)

    def notes(self) -> None:
        if not self.definition.notes:
            return
        self.para(self.style("NotesHead", paragraph={"margintop": _pt(10)},
                             text={"fontweight": "bold", "fontstyle": "italic", "fontsize": _pt(layout.NOTE_PT)}), NOTES_HEADING)
        note_style = self.style("Note", paragraph={"textalign": "justify"}, text={"fontsize": _pt(layout.NOTE_PT)})
        for note in self.definition.notes:
            self.para(note_style, note)

    def render(self) -> bytes:
        self.setup()
        self.header()
        for index, block in enumerate(self.definition.blocks):
            self.block(block, index)
        self.signatures()
        self.notes()
        buffer = io.BytesIO()
        self.doc.write(buffer)
        return normalise_zip(buffer.getvalue(), sort_namespaces)


def render_odt(definition: FormDefinition, page_count: int) -> bytes:
    """The .odt bytes; `page_count` (from the PDF) decides whether the footer numbers pages."""
    return _Writer(definition, page_count).render()
