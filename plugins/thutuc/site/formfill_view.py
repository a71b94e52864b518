"""What the fill-in page of a form definition shows ("Điền tờ khai trực tuyến rồi in"), prepared in
Python so the template holds only markup: inputs with labels, hints, types and Vietnamese messages.

The page never sends anything: form-fill.js validates, saves to a file, keeps an opt-in draft and prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.form_definition import CCCD_DIGITS, DATE_LINE, NATIONAL_MOTTO, NATIONAL_NAME, NOTES_HEADING, Block, Entry, FormDefinition
from ..forms.fields import option_value, table_cell_name
from ..forms.layout import needs_colon
from .pages import FileLink

SAVE_FORMAT = "thutuc-to-khai"  # the "format" of saved files: form-fill.js refuses any other JSON
_NOTE_MARK = re.compile(r"\((\d{1,2})\)")

# (input type, inputmode, autocomplete) by entry type; numbers stay type=text and no maxlength cuts
# what people paste or type with spaces ("001 190 012 345"): the check explains instead (GOV.UK's advice).
_HTML = {
    "text": ("text", "", ""),
    "textarea": ("", "", ""),
    "date": ("text", "numeric", ""),
    "number": ("text", "numeric", ""),
    "phone": ("tel", "tel", "tel"),
    "email": ("email", "email", "email"),
    "cccd": ("text", "numeric", "off"),
}
_TYPE_HINTS = {
    "date": "Ghi theo dạng ngày/tháng/năm, ví dụ 25/08/1990.",
    "cccd": "12 chữ số in trên thẻ căn cước hoặc căn cước công dân.",
    "phone": "Ví dụ: 0912 345 678.",
    "email": "Ví dụ: ten@example.com.",
}


def _lower_first(text: str) -> str:
    """"Họ, chữ đệm, tên" -> "họ, chữ đệm, tên" inside a sentence; abbreviations ("CCCD") stay."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _format_message(label: str, kind: str, digits: int) -> str:
    name = label[0].upper() + label[1:]
    if kind == "date":
        return f"{name} phải là một ngày có thật, ghi theo dạng ngày/tháng/năm, ví dụ 25/08/1990."
    if digits or kind == "cccd":
        return f"{name} phải gồm đúng {digits or CCCD_DIGITS} chữ số."
    if kind == "number":
        return f"{name} chỉ được gồm chữ số."
    if kind == "phone":
        return f"{name} chưa đúng: nhập số điện thoại gồm 10 chữ số, ví dụ 0912 345 678."
    if kind == "email":
        return f"{name} chưa đúng: nhập địa chỉ thư điện tử, ví dụ ten@example.com."
    return ""


@dataclass
class Option:
    id: str
    value: str
    label: str


@dataclass
class InputView:
    """One input (or a group of radio buttons / check boxes) with everything its markup needs."""

    id: str  # "f-ho-chu-dem-ten": the element (or the first option) the error summary links to
    name: str
    label: str  # as printed, with its number: "2. Ngày, tháng, năm sinh"
    guidance: str = ""  # printed in italics after the label: "(ghi bằng chữ in hoa)"
    hint: str = ""
    type: str = "text"
    required: bool = False
    digits: int = 0
    lines: int = 1
    options: list[Option] = field(default_factory=list)
    required_message: str = ""
    format_message: str = ""
    low: int = 0  # with high: a number in this range (day 1-31, month 1-12)
    high: int = 0

    @property
    def hint_id(self) -> str:
        return f"{self.id}-goi-y" if self.hint else ""

    @property
    def html_type(self) -> str:
        return _HTML.get(self.type, _HTML["text"])[0]

    @property
    def inputmode(self) -> str:
        return "numeric" if self.digits else _HTML.get(self.type, _HTML["text"])[1]

    @property
    def autocomplete(self) -> str:
        return _HTML.get(self.type, _HTML["text"])[2]


@dataclass
class Cell:
    id: str
    name: str
    label: str  # the column
    row: int


@dataclass
class BlockView:
    kind: str  # heading, text, field, row, choice, table
    text: str = ""
    inputs: list[InputView] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class SignatureView:
    title: str
    guidance: str
    name_input: InputView


@dataclass
class FillPage:
    form_id: str  # the definition's path without forms/ and .form.yml: saved files name it
    title: str
    heading: str  # "Tờ khai đăng ký khai sinh (Mẫu CT01)"
    code: str
    issued_by: str
    subtitle: str
    recipient_text: str  # printed after "Kính gửi:" when there is nothing to fill in
    recipient_prefix: str  # "(1)" before the recipient input
    recipient_input: InputView | None
    blocks: list[BlockView]
    date_line: bool
    date_inputs: list[InputView]
    signatures: list[SignatureView]
    notes_heading: str
    notes: tuple[str, ...]
    downloads: list[FileLink]
    procedures: list[tuple[str, str]]  # (title, url) of the procedures that use the form
    file_stem: str  # name of saved files: "to-khai-dang-ky-khai-sinh"
    save_format: str = SAVE_FORMAT
    national_name: str = NATIONAL_NAME
    national_motto: str = NATIONAL_MOTTO
    date_line_text: str = DATE_LINE


class _Hints:
    """Numbered notes ("(2) Ghi theo nơi đăng ký thường trú …") explain a label marked "(2)": on the web
    page the note becomes the hint under that field when the editor wrote no `hint`."""

    def __init__(self, notes: tuple[str, ...]):
        self.notes: dict[str, str] = {}
        for note in notes:
            match = _NOTE_MARK.match(note.strip())
            if match:
                self.notes.setdefault(match.group(1), note.strip()[match.end():].strip())

    def __call__(self, written: str, *marked: str) -> str:
        if written:
            return written
        found = [self.notes[m] for text in marked for m in _NOTE_MARK.findall(text) if m in self.notes]
        return " ".join(dict.fromkeys(found))


def _input(entry: Entry, label: str, guidance: str, hints: _Hints, lines: int = 1) -> InputView:
    hint = hints(entry.hint, guidance, entry.label)
    if entry.type in _TYPE_HINTS and not entry.hint:
        hint = f"{hint} {_TYPE_HINTS[entry.type]}".strip()
    clean = entry.label.rstrip(" :")
    digits = entry.digits or (CCCD_DIGITS if entry.type == "cccd" else 0)  # `type: cccd` without printed boxes
    choosing = entry.type in ("radio", "checkbox")
    required = f"{'Chọn' if choosing else 'Nhập'} {_lower_first(clean)}." if entry.required else ""
    return InputView(
        id=f"f-{entry.name}", name=entry.name, label=label, guidance=guidance, hint=hint, type=entry.type,
        required=entry.required, digits=digits, lines=lines,
        required_message=required, format_message=_format_message(clean, entry.type, digits),
    )


def _numbered(block: Block, label: str) -> str:
    return f"{block.number} {label}" if block.number else label


def _block_view(block: Block, hints: _Hints) -> BlockView:
    if block.kind in ("heading", "text"):
        return BlockView(block.kind, block.label)
    if block.kind == "field":
        entry = block.entries[0]
        return BlockView("field", inputs=[_input(entry, _numbered(block, block.label), block.guidance, hints, block.lines)])
    if block.kind == "row":
        inputs = [_input(entry, _numbered(block, entry.label) if index == 0 else entry.label, "", hints)
                  for index, entry in enumerate(block.entries)]
        return BlockView("row", inputs=inputs)
    if block.kind == "choice":
        entry = block.entries[0]
        view = _input(entry, _numbered(block, block.label), block.guidance, hints)
        view.options = [Option(f"{view.id}-{option_value(option)}", option_value(option), option) for option in block.labels]
        view.id = view.options[0].id
        return BlockView("choice", inputs=[view])
    name = block.entries[0].name
    rows = [[Cell(f"f-{table_cell_name(name, row, column)}", table_cell_name(name, row, column), label, row)
             for column, label in enumerate(block.labels, start=1)] for row in range(1, block.rows + 1)]
    caption = _numbered(block, block.label)
    return BlockView("table", caption + (":" if block.label and needs_colon(caption) else ""), columns=block.labels, rows=rows)


def _plain(name: str, label: str, hint: str = "", kind: str = "text") -> InputView:
    return _input(Entry(name, label, hint, kind), label, "", _Hints(()))


def _date_inputs() -> list[InputView]:
    """Place and date above the signature: "Hà Nội, ngày 05 tháng 12 năm 2026", each part an input."""
    day = _plain("ky-ngay", "ngày", kind="number")
    month = _plain("ky-thang", "tháng", kind="number")
    year = _plain("ky-nam", "năm", kind="number")
    day.format_message, day.low, day.high = "Ngày phải là số từ 1 đến 31.", 1, 31
    month.format_message, month.low, month.high = "Tháng phải là số từ 1 đến 12.", 1, 12
    year.format_message, year.low, year.high = "Năm phải gồm 4 chữ số, ví dụ 2026.", 1900, 2100
    year.format_message = "Năm phải gồm 4 chữ số, ví dụ 2026."
    return [_plain("ky-dia-danh", "Địa danh", "Nơi viết tờ khai, ví dụ: Hà Nội, Thủ Đức."), day, month, year]


def fill_page(definition: FormDefinition, form_id: str, heading: str, downloads: list[FileLink],
              procedures: list[tuple[str, str]]) -> FillPage:
    hints = _Hints(definition.notes)
    recipient, prefix, recipient_input = definition.recipient, "", None
    if "…" in recipient:
        prefix = recipient[: recipient.index("…")].strip()
        recipient_input = _input(Entry("kinh-gui", "Kính gửi"), "Kính gửi", prefix, hints)
        recipient_input.hint = hints("", prefix) or "Tên cơ quan nhận tờ khai."
        recipient = ""
    signatures = [
        SignatureView(s.title, s.guidance, _plain(f"ky-ho-ten-{index}", f"{s.title}: họ, chữ đệm, tên",
                                                  "Ghi rõ họ tên dưới chỗ ký; chữ ký viết tay sau khi in."))
        for index, s in enumerate(definition.signatures, start=1)
    ]
    return FillPage(
        form_id=form_id, title=definition.title, heading=heading, code=definition.code, issued_by=definition.issued_by,
        subtitle=definition.subtitle, recipient_text=recipient, recipient_prefix=prefix, recipient_input=recipient_input,
        blocks=[_block_view(block, hints) for block in definition.blocks], date_line=definition.date_line,
        date_inputs=_date_inputs() if definition.date_line else [], signatures=signatures, notes_heading=NOTES_HEADING,
        notes=definition.notes, downloads=downloads, procedures=procedures, file_stem=form_id.rsplit("/", 1)[-1],
    )
