"""Read one YAML file safely and remember where every value came from.

PyYAML's safe loader is the parser; on top of it this module refuses what editors never need and
attackers love (aliases, custom tags, huge or deeply nested files), rejects duplicate keys, checks the
text encoding, normalises all text to NFC and records the line and column of every key and item so
that later checks can point at them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

Location = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 24

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

# Byte sequences that appear when legacy Vietnamese text (TCVN3/ABC) or double-encoded UTF-8 is read
# as Windows-1252: "§¨ng ký" for "Đăng ký", "Ä‘Äƒng kÃ½" for "đăng ký".
_MOJIBAKE = re.compile(
    r"[A-Za-z][§¨©ª«¬®µ¶·¸¹º»¼½¾¿]|[§¨©ª«¬®µ¶·¸¹º»¼½¾¿][A-Za-z]"
    r"|Ã[\u0080-\u00bf]|Ä[\u0080-\u00bf‘’“”ƒ]|Æ[°¡]|á[º»][\u0080-\u00bf]"
)

ENCODING_HINT = (
    "mở tệp bằng trình soạn thảo, chọn đúng bảng mã cũ (TCVN3/ABC, VNI hoặc Windows-1258) rồi lưu lại "
    "với bảng mã UTF-8; có thể dùng chức năng chuyển mã của Unikey hoặc EVKey."
)


@dataclass
class YamlDocument:
    """A parsed file: plain Python data plus the source position of every node."""

    path: str
    data: Any
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[Location, str] = field(default_factory=dict)

    def position(self, location: Location) -> tuple[int, int]:
        """The closest recorded position: the node itself or its nearest recorded parent."""
        loc = tuple(location)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class _Refusal(Exception):
    def __init__(self, mark: yaml.Mark, message: str, hint: str = ""):
        self.mark, self.message, self.hint = mark, message, hint


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes only; refuses anchors, aliases and excessive nesting while composing."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.anchor
        ):
            raise _Refusal(
                event.start_mark,
                "không dùng neo và bí danh YAML (& và *).",
                "viết lại đầy đủ nội dung ở từng chỗ cần dùng.",
            )
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refusal(event.start_mark, f"dữ liệu lồng nhau quá {MAX_DEPTH} cấp.")
        node = super().compose_node(parent, index)
        if isinstance(event, CollectionStartEvent):
            self._depth -= 1
        return node


def _translate_yaml_error(error: yaml.MarkedYAMLError) -> tuple[str, str]:
    """Turn PyYAML's English parser messages into one Vietnamese sentence and a hint."""
    problem = (error.problem or "") + " " + (error.context or "")
    if "'\\t'" in problem or "tab" in problem:
        return (
            "có ký tự Tab dùng để thụt lề.",
            "YAML chỉ chấp nhận dấu cách để thụt lề: thay mỗi Tab bằng hai dấu cách.",
        )
    if "quoted scalar" in problem or "end of stream" in problem and "quot" in problem:
        return (
            "thiếu dấu nháy đóng cho một chuỗi trong nháy.",
            "kiểm tra chuỗi bắt đầu bằng \" hoặc ' ở dòng này có dấu nháy đóng cùng loại.",
        )
    if "mapping values are not allowed" in problem:
        return (
            "dấu hai chấm ở vị trí không hợp lệ.",
            "thường do thụt lề sai, hoặc giá trị có chứa \": \" mà không đặt trong dấu nháy kép.",
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return (
            "thụt lề không khớp với các dòng phía trên.",
            "các khóa cùng cấp phải thẳng cột; mỗi phần tử danh sách bắt đầu bằng \"- \".",
        )
    if "did not find expected '-' indicator" in problem or "block collection" in problem:
        return (
            "danh sách viết không đúng: thiếu \"- \" hoặc thụt lề sai.",
            "mỗi phần tử danh sách bắt đầu bằng \"- \" và thẳng cột với các phần tử khác.",
        )
    if "expected a single document" in problem:
        return (
            "tệp chứa nhiều tài liệu YAML (có dòng \"---\" ở giữa).",
            "mỗi thủ tục là một tệp riêng; xóa dòng \"---\" thừa.",
        )
    if "found unexpected end of stream" in problem:
        return ("tệp kết thúc đột ngột: có dấu ngoặc hoặc nháy chưa đóng.", "")
    if "flow" in problem or "',' or ']'" in problem or "',' or '}'" in problem:
        return (
            "danh sách hoặc bảng viết trên một dòng ([...] hoặc {...}) chưa đúng cú pháp.",
            "kiểm tra dấu phẩy và dấu ngoặc đóng.",
        )
    if "found character" in problem and "cannot start any token" in problem:
        return (
            "có ký tự không được phép ở đầu giá trị (ví dụ @ hoặc `).",
            "đặt giá trị trong dấu nháy kép.",
        )
    return ("cú pháp YAML không hợp lệ.", "kiểm tra thụt lề, dấu hai chấm và dấu nháy ở dòng này.")


def decode_text(raw: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) to NFC text; anything else is refused with a conversion hint."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem(
            Problem(path, 1, 1, "", "tệp được lưu bằng bảng mã UTF-16, không phải UTF-8.", hint=ENCODING_HINT)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem(
            Problem(
                path,
                line,
                column,
                "",
                f"tệp không phải UTF-8 (byte 0x{raw[error.start]:02X} không hợp lệ); có thể tệp được lưu "
                "bằng bảng mã cũ TCVN3 (ABC), VNI hoặc Windows-1258.",
                hint=ENCODING_HINT,
            )
        ) from None
    if "\x00" in text:
        raise YamlProblem(Problem(path, 1, 1, "", "tệp chứa ký tự NUL: đây không phải tệp văn bản."))
    return unicodedata.normalize("NFC", text)


def _key_text(location: Location) -> str:
    parts: list[str] = []
    for item in location:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts)


def location_text(location: Location) -> str:
    """`methods[0].fees` style, as printed in messages."""
    return _key_text(location)


class _Builder:
    """Turns composed nodes into Python data while recording positions."""

    def __init__(self, path: str, loader: _StrictLoader):
        self.path = path
        self.loader = loader
        self.positions: dict[Location, tuple[int, int]] = {}
        self.raw_scalars: dict[Location, str] = {}

    def fail(self, node: Node, location: Location, message: str, hint: str = "") -> None:
        raise YamlProblem(
            Problem(
                self.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                _key_text(location),
                message,
                hint=hint,
            )
        )

    def build(self, node: Node, location: Location) -> Any:
        self.positions.setdefault(location, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _STANDARD_TAGS:
            self.fail(
                node,
                location,
                f"thẻ YAML “{node.tag}” không được phép.",
                "xóa phần bắt đầu bằng dấu ! trước giá trị.",
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, location)
        if isinstance(node, SequenceNode):
            return [self.build(item, location + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, location)

    def _mapping(self, node: MappingNode, location: Location) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, location, "không dùng khóa gộp YAML (<<).")
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, location, "tên khóa phải là chữ, không phải danh sách hay bảng.")
            key = unicodedata.normalize("NFC", str(key_node.value))
            child = location + (key,)
            if key in result:
                first = self.positions[child]
                self.fail(
                    key_node,
                    child,
                    f"khóa “{key}” bị lặp lại (đã có ở dòng {first[0]}).",
                    "xóa một trong hai dòng hoặc gộp nội dung lại.",
                )
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result

    def _scalar(self, node: ScalarNode, location: Location) -> Any:
        text = unicodedata.normalize("NFC", node.value)
        if _MOJIBAKE.search(text):
            self.fail(
                node,
                location,
                "văn bản bị lỗi mã hóa (ví dụ “§¨ng ký” thay cho “Đăng ký”).",
                ENCODING_HINT,
            )
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):  # e.g. "2014-13-45" looks like a date but is not one
            return text
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        if node.style is None:
            self.raw_scalars[location] = text
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value != value:  # NaN never means anything in content
            return text
        return value


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse already-decoded text. Raises YamlProblem with a located Vietnamese message."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(Problem(path, 1, 1, "", "tệp rỗng.", hint="điền nội dung theo mẫu hoặc xóa tệp."))
        builder = _Builder(path, loader)
        data = builder.build(node, ())
    except _Refusal as refusal:
        raise YamlProblem(
            Problem(path, refusal.mark.line + 1, refusal.mark.column + 1, "", refusal.message, hint=refusal.hint)
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context and "quoted scalar" in error.context and error.context_mark:
            mark = error.context_mark  # where the unclosed quote starts, not the end of the file
        message, hint = _translate_yaml_error(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(Problem(path, line, column, "", message, hint=hint)) from None
    except yaml.YAMLError:
        raise YamlProblem(Problem(path, 1, 1, "", "cú pháp YAML không hợp lệ.")) from None
    except RecursionError:
        raise YamlProblem(Problem(path, 1, 1, "", f"dữ liệu lồng nhau quá {MAX_DEPTH} cấp.")) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, builder.positions, builder.raw_scalars)


def load_yaml_file(file: Path, display: str, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read, check size and encoding, and parse one file."""
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise YamlProblem(
                Problem(
                    display,
                    1,
                    1,
                    "",
                    f"tệp quá lớn ({size // 1024} KB; tối đa {max_bytes // 1024} KB cho một tệp nội dung).",
                    hint="mỗi thủ tục là một tệp riêng; tách nội dung dài hoặc xóa phần thừa.",
                )
            )
        raw = file.read_bytes()
    except OSError as error:
        raise YamlProblem(Problem(display, 1, 1, "", f"không đọc được tệp ({error.strerror}).")) from None
    return parse_yaml(decode_text(raw, display), display)
