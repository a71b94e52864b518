"""A form definition (`*.form.yml`): loaded safely, validated with located Vietnamese messages.

Light on imports on purpose: `check` validates definitions without loading the document writers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..vi.text import slug
from .formfiles import DEFINITION_SUFFIX
from .problems import Problem, Problems, display_path
from .schema_check import load_schema, validate_document
from .yamlsource import YamlDocument, YamlProblem, load_yaml_file, location_text

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DATE_LINE = "…………, ngày …… tháng …… năm ……"
RECIPIENT_PREFIX = "Kính gửi: "
NOTES_HEADING = "Ghi chú:"
CHECKBOX = "□"  # U+25A1: in Times New Roman and Liberation Serif alike (WGL4), unlike U+2610

BLOCK_KINDS = ("heading", "text", "field", "row", "choice", "table")
_ONLY_WITH = {"guidance": ("field", "choice"), "lines": ("field",), "boxes": ("field",), "options": ("choice",),
              "hint": ("field", "choice"), "type": ("field",), "required": ("field", "choice"), "multiple": ("choice",)}
INPUT_TYPES = ("text", "textarea", "date", "number", "phone", "email", "cccd")
CCCD_DIGITS = 12  # a citizen identity card (căn cước) number: the 12-digit personal identification number
# Names of what the fill-in page adds around the body (recipient, place and date, signers' names):
# body entries never take them, so a saved file stays unambiguous.
RESERVED_NAMES = ("kinh-gui", "ky-dia-danh", "ky-ngay", "ky-thang", "ky-nam", "ky-ho-ten-1", "ky-ho-ten-2", "ky-ho-ten-3")


@dataclass(frozen=True)
class Entry:
    """One thing a person fills in: an input on the fill-in page and a field of the fillable PDF."""

    name: str  # unique in the form, from the label: "ho-chu-dem-va-ten", the second "noi-cu-tru" is "noi-cu-tru-2"
    label: str
    hint: str = ""  # guidance shown under the label on the web page (not printed)
    type: str = "text"  # one of INPUT_TYPES, "radio"/"checkbox" for a choice, "table" for a table
    required: bool = False
    digits: int = 0  # `boxes`: exactly this many digits


@dataclass(frozen=True)
class Block:
    """One part of the form body, in print order."""

    kind: str  # one of BLOCK_KINDS
    label: str = ""  # heading/text/field/choice text, or table title
    number: str = ""  # "3." when the form is numbered and the block is something to fill in
    guidance: str = ""
    lines: int = 1
    labels: tuple[str, ...] = ()  # row: the labels; choice: the options; table: the columns
    widths: tuple[int, ...] = ()
    rows: int = 0
    boxes: int = 0  # field: a row of squares, one digit each, instead of a dotted line
    entries: tuple[Entry, ...] = ()  # field, choice, table: one; row: one per label


@dataclass(frozen=True)
class Signature:
    title: str
    guidance: str = ""


@dataclass(frozen=True)
class FormDefinition:
    """Everything printed on the form. `digest` changes whenever anything printed changes."""

    path: str  # as written in procedures, relative to content/ ("forms/ho-tich/x.form.yml")
    title: str
    blocks: tuple[Block, ...]
    signatures: tuple[Signature, ...]
    subtitle: str = ""
    code: str = ""
    issued_by: str = ""
    recipient: str = ""
    date_line: bool = True
    notes: tuple[str, ...] = ()
    digest: str = field(default="", compare=False)
    source: str = field(default="", compare=False)  # the file as shown in messages

    def all_text(self) -> str:
        """Every character that will be printed: the fonts must cover all of it."""
        parts = [NATIONAL_NAME, NATIONAL_MOTTO, DATE_LINE, RECIPIENT_PREFIX, NOTES_HEADING, CHECKBOX,
                 self.title.upper(), self.subtitle, self.code, self.issued_by, self.recipient, *self.notes]
        for block in self.blocks:
            parts += [block.label, block.number, block.guidance, *block.labels]
        for signature in self.signatures:
            parts += [signature.title.upper(), signature.guidance]
        return "".join(parts)

    def entries(self) -> list[Entry]:
        """Everything to fill in the body, in print order."""
        return [entry for block in self.blocks for entry in block.entries]


def _block_problems(document: YamlDocument) -> list[Problem]:
    """Rules JSON Schema would only explain vaguely: exactly one kind per block, keys that belong to it."""
    problems = []
    for index, item in enumerate(document.data.get("body", [])):
        kinds = [key for key in BLOCK_KINDS if key in item]
        location: tuple[str | int, ...] = ("body", index)
        if len(kinds) != 1:
            message = (
                "mỗi phần phải có đúng một trong các khóa: " + ", ".join(BLOCK_KINDS) + "."
                if not kinds else "một phần chỉ được có một trong các khóa " + ", ".join(f"“{k}”" for k in kinds) + "."
            )
            line, column = document.position(location)
            problems.append(Problem(document.path, line, column, location_text(location), message,
                                    hint="tách thành nhiều phần, mỗi phần bắt đầu bằng \"- \"."))
            continue
        kind = kinds[0]
        for key, owners in _ONLY_WITH.items():
            if key in item and kind not in owners:
                line, column = document.position(location + (key,))
                problems.append(Problem(document.path, line, column, location_text(location + (key,)),
                                        f"khóa “{key}” chỉ dùng cùng với " + " hoặc ".join(f"“{o}”" for o in owners) + "."))
        if "boxes" in item and "lines" in item:
            line, column = document.position(location + ("boxes",))
            problems.append(Problem(document.path, line, column, location_text(location + ("boxes",)),
                                    "chỉ dùng một trong hai khóa “lines” (dòng chấm) hoặc “boxes” (ô vuông).",
                                    hint="xóa một trong hai khóa."))
        if kind == "choice" and "options" not in item:
            line, column = document.position(location + ("choice",))
            problems.append(Problem(document.path, line, column, location_text(location + ("options",)),
                                    "thiếu mục bắt buộc “options” (Các lựa chọn) cho câu hỏi có ô đánh dấu.",
                                    hint="ví dụ: options: [Nam, Nữ]"))
        if item.get("type") == "cccd" and item.get("boxes", CCCD_DIGITS) != CCCD_DIGITS:
            line, column = document.position(location + ("boxes",))
            problems.append(Problem(document.path, line, column, location_text(location + ("boxes",)),
                                    f"số định danh cá nhân (type: cccd) có {CCCD_DIGITS} chữ số nhưng “boxes” là {item['boxes']}.",
                                    hint=f"ghi boxes: {CCCD_DIGITS}, hoặc bỏ boxes."))
        table = item.get("table")
        if isinstance(table, dict) and "widths" in table and len(table["widths"]) != len(table.get("columns", [])):
            line, column = document.position(location + ("table", "widths"))
            problems.append(Problem(document.path, line, column, location_text(location + ("table", "widths")),
                                    f"có {len(table['widths'])} độ rộng nhưng {len(table.get('columns', []))} cột.",
                                    hint="ghi một độ rộng cho mỗi cột, hoặc bỏ widths."))
    return problems


class _Namer:
    """Names from labels, unique within one form; stable when blocks elsewhere are added or moved."""

    def __init__(self) -> None:
        self.used = set(RESERVED_NAMES)

    def __call__(self, label: str, fallback: str) -> str:
        base = slug(label)[:40].strip("-") or fallback
        name, count = base, 1
        while name in self.used:
            count += 1
            name = f"{base}-{count}"
        self.used.add(name)
        return name


def _field_type(item: dict[str, Any]) -> str:
    """The input that fits: the editor's `type`, else 12 boxes mean a citizen ID, several lines a text area."""
    if "type" in item:
        return item["type"]
    if item.get("boxes") == CCCD_DIGITS:
        return "cccd"
    if item.get("boxes"):
        return "number"
    return "textarea" if item.get("lines", 1) > 1 else "text"


def _row_entries(item: dict[str, Any], namer: _Namer) -> tuple[tuple[str, ...], tuple[Entry, ...]]:
    """A row's labels as printed and its entries: each part is a label or {field, hint, type, required}."""
    labels, entries = [], []
    for part in item["row"]:
        spec = part if isinstance(part, dict) else {"field": part}
        labels.append(spec["field"])
        entries.append(Entry(namer(spec["field"], "muc"), spec["field"], spec.get("hint", ""), _field_type(spec),
                             spec.get("required", False)))
    return tuple(labels), tuple(entries)


def _blocks(data: dict[str, Any]) -> tuple[Block, ...]:
    numbered = data.get("numbered", True)
    counter = 0
    blocks = []
    namer = _Namer()
    for item in data["body"]:
        kind = next(key for key in BLOCK_KINDS if key in item)
        number = ""
        if numbered and kind in ("field", "row", "choice", "table"):
            counter += 1
            number = f"{counter}."
        if kind == "row":
            labels, entries = _row_entries(item, namer)
            blocks.append(Block(kind, number=number, labels=labels, entries=entries))
        elif kind == "choice":
            entry = Entry(namer(item["choice"], "lua-chon"), item["choice"], item.get("hint", ""),
                          "checkbox" if item.get("multiple") else "radio", item.get("required", False))
            blocks.append(Block(kind, item["choice"], number, item.get("guidance", ""), labels=tuple(item["options"]),
                                entries=(entry,)))
        elif kind == "table":
            table = item["table"]
            entry = Entry(namer(table.get("title", ""), "bang"), table.get("title", ""), type="table")
            blocks.append(Block(kind, table.get("title", ""), number, labels=tuple(table["columns"]),
                                widths=tuple(table.get("widths", ())), rows=table["rows"], entries=(entry,)))
        elif kind == "field":
            boxes = item.get("boxes", 0)
            entry = Entry(namer(item["field"], "muc"), item["field"], item.get("hint", ""), _field_type(item),
                          item.get("required", False), boxes)
            blocks.append(Block(kind, item[kind], number, item.get("guidance", ""), item.get("lines", 1), boxes=boxes,
                                entries=(entry,)))
        else:
            blocks.append(Block(kind, item[kind], number))
    return tuple(blocks)


def definition_from_data(data: dict[str, Any], path: str, source: str = "") -> FormDefinition:
    """Build the model from data that already passed the schema and the block rules."""
    digest = hashlib.sha256(json.dumps([path, data], ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return FormDefinition(
        path=path,
        title=data["title"].strip(),
        blocks=_blocks(data),
        signatures=tuple(Signature(s["title"], s.get("guidance", "")) for s in data["signatures"]),
        subtitle=data.get("subtitle", ""),
        code=data.get("code", ""),
        issued_by=data.get("issued_by", ""),
        recipient=data.get("recipient", ""),
        date_line=data.get("date_line", True),
        notes=tuple(data.get("notes", ())),
        digest=digest,
        source=source or path,
    )


def load_definition(file: Path, written: str, shown: str) -> tuple[FormDefinition | None, list[Problem]]:
    """Read and validate one definition. `written` is its path relative to content/, `shown` the path in messages."""
    try:
        document = load_yaml_file(file, shown)
    except YamlProblem as error:
        return None, [error.problem]
    problems = validate_document(document, load_schema("form"))
    if not problems:
        problems = _block_problems(document)
    if problems:
        return None, problems
    return definition_from_data(document.data, written, shown), []


def load_definitions(content_dir: Path, referenced: dict[str, Path], problems: Problems) -> dict[str, FormDefinition]:
    """Valid definitions by their path relative to content/; problems of every definition are reported.

    Definitions under content/forms/ that no procedure uses yet are checked too, so an editor sees
    mistakes before linking one. Whether they can be printed (fonts) is the forms package's judgement
    (forms.printable.drop_unprintable), asked by the host after loading: content never imports forms.
    """
    files = dict(referenced)
    forms_dir = content_dir / "forms"
    if forms_dir.is_dir():
        for file in sorted(forms_dir.rglob("*" + DEFINITION_SUFFIX)):
            if file.is_file() and not file.is_symlink():
                files.setdefault(file.relative_to(content_dir).as_posix(), file)
    definitions: dict[str, FormDefinition] = {}
    for written, file in sorted(files.items()):
        definition, found = load_definition(file, written, display_path(file))
        problems.extend(found)
        if definition is not None and not found:
            definitions[written] = definition
    return definitions
