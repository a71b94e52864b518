"""Read one YAML file safely and remember where every value came from.

PyYAML's safe loader is the parser; on top of it this module refuses what editors never need and
attackers love (aliases, custom tags, huge or deeply nested files), rejects duplicate keys, checks the
text encoding, normalises all text to NFC and records the line and column of every key and item so
that later checks can point at them.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .problems import Problem, Severity

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

# Text typed in VNI-Windows (a letter plus Windows-1252 "mark" bytes: "Ñaêng kyù" for "Đăng ký") or in
# Windows-1258 (tones as separate bytes: "Ðãng kyì"), read as Windows-1252 and pasted into a UTF-8 file.
# Each alternative is a pair Vietnamese never writes: a plain vowel followed by a mark byte of the legacy
# encoding. Vietnamese pairs that look alike ("hoà", "khoá", "quá", "thuê", "tiên", "quì", "giò") are left
# out: no Vietnamese syllable (every onset, rhyme and tone, in lower, title and upper case) matches.
_VNI_PAIRS = (  # (plain letters, the VNI mark byte after them), as Windows-1252 characters
    ("aeoAEO", "âêåäÂÊÅÄ"),  # â ê ô ă (aâ eâ oâ aê), and hook or dot below on them (aå eä)
    ("aeAE", "áàãÁÀÃ"),  # ấ ầ ẫ ế ề ễ
    ("aA", "éèúüëÉÈÚÜË"),  # ắ ằ ẳ ẵ ặ
    ("aeouyöAEOUYÖ", "ùøûõïÙØÛÕÏ"),  # a tone on a plain vowel or on ư (ö)
    ("öÖ", "ôÔ"),  # ươ
)
_VNI_DJ = "[ñÑ][oO][àáÀÁ]"  # đồ, đố
_VNI = re.compile("|".join(f"[{first}][{mark}]" for first, mark in _VNI_PAIRS) + "|" + _VNI_DJ)
_CP1258_DJ = "[ðÐ][A-Za-zãâêôõýÃÂÊÔÕÝ]"  # đ, Đ
_CP1258_VOWEL = "(?:[aeyâêôãõýAEYÂÊÔÃÕÝ]|(?<![gG])[iI]|(?<![qQ])[uUoO])"  # "giò", "quì" are words
_CP1258 = re.compile(f"{_CP1258_DJ}|[ýÝ][õÕ]|{_CP1258_VOWEL}[ÌìÒòÞ]")  # ươ; a tone byte after a vowel

# The same pairs, for a screen of a whole file in one pass: Python's regex engine scans fast for a first
# character from a small set of rare ones, so the pairs are searched mark first, in the reversed text.
_REVERSED_LEGACY = re.compile(
    "[âêåäÂÊÅÄáàãÁÀÃéèúüëÉÈÚÜËùøûõïÙØÛÕÏôÔÌìÒòÞ](?:"
    + "|".join(f"(?<=[{mark}])[{first}]" for first, mark in _VNI_PAIRS)
    + "|(?<=[õÕ])[ýÝ]|(?<=[ÌìÒòÞ])(?:[aeyâêôãõýAEYÂÊÔÃÕÝ]|[iI](?![gG])|[uUoO](?![qQ]))"
    + ")"
)
_FORWARD_LEGACY = re.compile(f"{_VNI_DJ}|{_CP1258_DJ}")


def looks_like_legacy_text(text: str) -> bool:
    """True when text holds VNI or Windows-1258 text read as Windows-1252: _VNI or _CP1258 match."""
    return bool(_FORWARD_LEGACY.search(text) or _REVERSED_LEGACY.search(text[::-1]))


_LEGACY_PASTE = (
    (_MOJIBAKE, "", "“§¨ng ký” (TCVN3) thay cho “Đăng ký”, hay “Ä‘Äƒng kÃ½” (UTF-8 bị đọc hai lần) thay cho “đăng ký”"),
    (_VNI, "VNI", "“Ñaêng kyù” thay cho “Đăng ký”"),
    (_CP1258, "Windows-1258", "“Ðãng kyì” thay cho “Đăng ký”"),
)
_UNIKEY_NAMES = {"VNI": "VNI Windows", "Windows-1258": "Vietnamese locale CP 1258"}  # as Unikey lists them
PASTE_HINT = (
    "gõ lại đoạn chữ này bằng bảng mã Unicode, hoặc chép đoạn đó vào công cụ chuyển mã của Unikey "
    "(Ctrl+Shift+F6), chọn bảng mã nguồn {source}, bảng mã đích Unicode, bấm “Chuyển mã” rồi dán lại."
)

# Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text display in another
# order than it is stored ("Trojan Source"): a fee or a code can read differently from what is published.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")



def text_hazard(text: str) -> tuple[re.Pattern[str], str, str] | None:
    """(pattern that finds it, message, hint) for text that would publish something else than the editor
    sees or meant: bidi controls, or TCVN3/VNI/Windows-1258 text pasted into UTF-8. Also for page bodies."""
    if _BIDI.search(text):
        return _BIDI, (
            "có ký tự điều khiển hướng chữ (U+202A–U+202E, U+2066–U+2069): chữ hiện ra theo thứ tự khác "
            "với nội dung thật."
        ), "xóa ký tự này (thường lẫn vào khi chép từ trang web hoặc tệp PDF), rồi gõ lại đoạn chữ nếu cần."
    for pattern, source, example in _LEGACY_PASTE:
        if pattern.search(text):
            shown = f"chữ gõ bằng bảng mã {source} được dán vào tệp UTF-8" if source else "chữ bị đọc sai bảng mã"
            return pattern, f"văn bản bị lỗi mã hóa: {shown} (ví dụ {example}).", (
                PASTE_HINT.format(source=_UNIKEY_NAMES[source]) if source else ENCODING_HINT)
    return None


# An unquoted value followed by " #" on its line: YAML drops everything from the "#" as a comment.
# Accepted as a deliberate comment only when written the usual way (yamllint's default): at least two
# spaces before "#" and a space after it. "số #12" or "50.000đ # theo NQ 12" are content cut off.
_TRAILING_COMMENT = re.compile(r"(?P<gap>[ \t]+)#(?P<after>.?)")


@dataclass
class YamlDocument:
    """A parsed file: plain Python data plus the source position of every node."""

    path: str
    data: Any
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    raw_scalars: dict[Location, str] = field(default_factory=dict)
    # Warnings found while reading (a value cut by " #"): the file is usable, the editor should look.
    warnings: list[Problem] = field(default_factory=list)

    def position(self, location: Location) -> tuple[int, int]:
        """The closest recorded position: the node itself or its nearest recorded parent."""
        loc = tuple(location)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def locate(self, location: Location) -> tuple[str, int, int]:
        """(file, line, column) of a location; a merged document (overlay) may answer with another file."""
        line, column = self.position(location)
        return self.path, line, column


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


class _Refusal(Exception):
    def __init__(self, mark: yaml.Mark, message: str, hint: str = ""):
        self.mark, self.message, self.hint = mark, message, hint


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _EventLoader(Composer, CParser, SafeConstructor, Resolver):
        """libyaml scans and parses (8x faster than pure Python); composing stays in Python, below."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    _EventLoader = yaml.SafeLoader  # type: ignore[misc,assignment]


# libyaml's composer recurses in C and crashes the interpreter on absurd nesting (about 100,000
# levels); below this bound on a text's nesting it is safe, and _Builder enforces MAX_DEPTH anyway.
_C_COMPOSE_LIMIT = 1000


def _nesting_bound(text: str) -> int:
    """A cheap upper bound of how deeply a YAML text can nest (indentation, list dashes, brackets)."""
    indent = max((len(line) - len(line.lstrip(" -")) for line in text.splitlines()), default=0)
    return indent + text.count("[") + text.count("{")


# libyaml returns an alias as the anchored node itself, so the alias's own line is lost; a text that
# may hold an anchor or alias goes through PyYAML's composer, which refuses it where it is written.
# Only where YAML reads a node's first token: after "key:", a list dash, or inside [ ] and { }. A star
# elsewhere (Markdown "**đậm**" or " *nghiêng*" inside block text) is not a candidate, and "- **x" is not
# one either, since an alias name cannot start with a star.
_MAYBE_ANCHOR = re.compile(r"(?::[ \t]+|^[ \t]*(?:-[ \t]+)+|^[ \t]*|[\[{,][ \t]*)[&*](?!\*)[^\s,\[\]{}]", re.MULTILINE)


def _has_anchor_or_alias(text: str) -> bool:
    """True when the text really holds an anchor or alias (so PyYAML's composer can locate the refusal).

    The regex alone also matches Markdown emphasis (" *chữ nghiêng*", "**đậm**"), which would send most
    procedure files down the slow Python composer; libyaml's event parser confirms cheaply.
    """
    if not _MAYBE_ANCHOR.search(text):
        return False
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                return True
    except yaml.YAMLError:
        return True  # let the Python composer produce its located syntax error
    return False


class _StrictLoader(_EventLoader):
    """Composes nodes only; refuses anchors, aliases and excessive nesting while composing."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._text = stream

    def compose_single(self):
        """The document's node tree: composed by libyaml when that is safe, else by PyYAML's Python code."""
        if yaml.__with_libyaml__ and _nesting_bound(self._text) <= _C_COMPOSE_LIMIT and not _has_anchor_or_alias(self._text):
            # Aliases come back as shared nodes and are refused by _Builder; nothing is expanded here.
            return CParser.get_single_node(self)
        return self.get_single_node()

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


def _legacy_guess(raw: bytes) -> str:
    """Which legacy encoding the bytes look like, as a clause for the message ("" when unsure)."""
    text = raw.decode("cp1252", errors="replace")
    for pattern, name in ((_VNI, "VNI"), (_CP1258, "Windows-1258"), (_MOJIBAKE, "TCVN3 (ABC)")):
        if pattern.search(text):
            return f" (chữ trong tệp giống bảng mã {name})"
    return ""


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
        # Keys are ASCII, so the key on that line (and its parents) can still be named.
        key = _key_at_line(raw.decode("utf-8", errors="replace"), line)
        raise YamlProblem(
            Problem(
                path,
                line,
                column,
                key,
                f"tệp không phải UTF-8 (byte 0x{raw[error.start]:02X} không hợp lệ); có thể tệp được lưu "
                f"bằng bảng mã cũ TCVN3 (ABC), VNI hoặc Windows-1258{_legacy_guess(raw)}.",
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
        self.warnings: list[Problem] = []
        self._seen: set[int] = set()
        self._text: str = loader._text
        # The text checks run once over the whole source (a few scans in C); only a file where something
        # matches, or with escapes that could hide a character, is checked value by value. Per value, the
        # four searches doubled the parse time of a catalogue.
        source = self._text if unicodedata.is_normalized("NFC", self._text) else unicodedata.normalize("NFC", self._text)
        self._suspect_text = (
            "\\" in source or bool(_BIDI.search(source)) or bool(_MOJIBAKE.search(source)) or looks_like_legacy_text(source)
        )
        self._suspect_comments = " #" in source or "\t#" in source

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
        if id(node) in self._seen:  # the same node twice: an alias (*name) of an anchor (&name)
            self.fail(node, location, "không dùng neo và bí danh YAML (& và *).", "viết lại đầy đủ nội dung ở từng chỗ cần dùng.")
        self._seen.add(id(node))
        if len(location) > MAX_DEPTH:  # every part is a key or an index: one per nesting level
            self.fail(node, location, f"dữ liệu lồng nhau quá {MAX_DEPTH} cấp.")
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

    def _where(self, node: Node, pattern: re.Pattern[str]) -> tuple[int, int]:
        """1-based (line, column) of the first match of pattern in the node's source; the node's start if
        the source does not show it (an escape such as "\\u202e" in double quotes)."""
        start, end = node.start_mark, node.end_mark
        found = pattern.search(self._text, start.index, end.index)
        if found is None:
            return start.line + 1, start.column + 1
        offset = found.start()
        line_start = self._text.rfind("\n", 0, offset) + 1
        return start.line + 1 + self._text.count("\n", start.index, offset), offset - line_start + 1

    def _fail_at(self, node: Node, pattern: re.Pattern[str], location: Location, message: str, hint: str) -> None:
        line, column = self._where(node, pattern)
        raise YamlProblem(Problem(self.path, line, column, _key_text(location), message, hint=hint))

    def _check_text(self, node: ScalarNode, text: str, location: Location) -> None:
        """Refuse text that would publish something else than the editor sees or meant."""
        found = text_hazard(text)
        if found is not None:
            pattern, message, hint = found
            self._fail_at(node, pattern, location, message, hint)

    def _check_cut_by_comment(self, node: ScalarNode, location: Location, value: str) -> None:
        """Warn when " #" after an unquoted value looks like the rest of the value, not a comment."""
        end = node.end_mark
        line_end = self._text.find("\n", end.index)
        rest = self._text[end.index : line_end if line_end >= 0 else len(self._text)]
        found = _TRAILING_COMMENT.match(rest)
        if not found or (len(found["gap"]) >= 2 and found["after"] in (" ", "")):
            return
        comment = rest[found.start("gap"):].strip()
        self.warnings.append(
            Problem(
                self.path, end.line + 1, end.column + len(found["gap"]) + 1, _key_text(location),
                f"phần “{comment}” sau giá trị bị bỏ qua: YAML coi “ #” là bắt đầu chú thích, "
                f"nên giá trị chỉ còn “{value}”.",
                Severity.WARNING,
                "nếu đó là nội dung, đặt cả giá trị trong dấu nháy kép, ví dụ "
                f"\"{value} {comment}\"; nếu đó là chú thích, viết cách giá trị ít nhất hai dấu cách và "
                "có dấu cách sau “#”.",
            )
        )

    def _scalar(self, node: ScalarNode, location: Location) -> Any:
        text = unicodedata.normalize("NFC", node.value)
        if self._suspect_text:
            self._check_text(node, text, location)
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):  # e.g. "2014-13-45" looks like a date but is not one
            return text
        if isinstance(value, str):
            if self._suspect_comments and not node.style and text:
                self._check_cut_by_comment(node, location, text)
            return unicodedata.normalize("NFC", value)
        if not node.style:  # plain (unquoted): None from PyYAML's parser, '' from libyaml's
            self.raw_scalars[location] = text
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value != value:  # NaN never means anything in content
            return text
        return value


_KEY_ON_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[^\s#:'\"\[\]{},&*!|>%@`-][^:#]*?) *:(?: |$)")


def _value_at(data: Any, location: Location) -> Any:
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _key_at_line(text: str, line: int) -> str:
    """The key written on a line where YAML syntax failed, with its parents (`agencies.implementing`).

    The lines above usually still parse: their recorded columns tell which mapping the key belongs to.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    match = _KEY_ON_LINE.match(lines[line - 1].replace("\t", " "))
    try:
        above = parse_yaml("\n".join(lines[: line - 1]) + "\n", "", locate_keys=False)
    except YamlProblem:
        return match["key"].strip() if match else ""
    if not match:  # no key on the line: inside a block (a list item, a stray value), name the last key above
        inside = lines[line - 1].startswith((" ", "\t", "- "))
        return _key_text(max(above.positions, key=lambda loc: above.positions[loc], default=())) if inside else ""
    key, column = match["key"].strip(), match.start("key") + 1
    parent: Location = ()
    for location, (_, col) in sorted(above.positions.items(), key=lambda item: item[1], reverse=True):
        if not location:
            continue
        if col == column and isinstance(location[-1], str):
            parent = location[:-1]
            if match["dash"] and parent and isinstance(parent[-1], int):
                parent = parent[:-1]  # the key opens a new item of that list
            break
        if col < column:
            parent = location
            break
    value = _value_at(above.data, parent)
    if match["dash"] and not isinstance(value, list):
        # "- key:" indented deeper than its list (under the last item's text): it still opens a new item
        # of the nearest list above, not a key of that item's value.
        for cut in range(len(parent) - 1, -1, -1):
            if isinstance(candidate := _value_at(above.data, parent[:cut]), list):
                parent, value = parent[:cut], candidate
                break
    if isinstance(value, list):  # the key belongs to the last item of that list, or opens a new one
        parent = parent + (len(value) if match["dash"] else max(len(value) - 1, 0),)
    return _key_text(parent + (key,))


def _unclosed_quote_line(text: str, before: int) -> tuple[int, int]:
    """(line, column), 1-based, of the first line before `before` where a quoted value opens and never closes on that line.

    PyYAML lets a quoted value run over many lines and only fails where the quotes finally pair up
    wrongly, far below the real mistake; editors never mean a multi-line quoted value.
    """
    for number, raw in enumerate(text.splitlines()[: before - 1], start=1):
        match = _KEY_ON_LINE.match(raw.replace("\t", " "))
        rest = raw[match.end():].strip() if match else raw.strip().removeprefix("- ").strip()
        if rest.startswith('"') and (len(rest) == 1 or not re.search(r'(?<!\\)"\s*(#.*)?$', rest[1:])):
            return number, raw.index('"') + 1
        if rest.startswith("'") and (len(rest) == 1 or not re.search(r"'\s*(#.*)?$", rest[1:])):
            return number, raw.index("'") + 1
    return 0, 0


def parse_yaml(text: str, path: str, *, locate_keys: bool = True) -> YamlDocument:
    """Parse already-decoded text. Raises YamlProblem with a located Vietnamese message."""
    loader = _StrictLoader(text)
    try:
        node = loader.compose_single()
        if node is None:
            raise YamlProblem(Problem(path, 1, 1, "", "tệp rỗng.", hint="điền nội dung theo mẫu hoặc xóa tệp."))
        builder = _Builder(path, loader)
        data = builder.build(node, ())
    except _Refusal as refusal:
        line = refusal.mark.line + 1
        key = _key_at_line(text, line) if locate_keys else ""
        raise YamlProblem(Problem(path, line, refusal.mark.column + 1, key, refusal.message, hint=refusal.hint)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context and ("quoted scalar" in error.context or "flow" in error.context) and error.context_mark:
            mark = error.context_mark  # where the unclosed quote or bracket starts, not where parsing gave up
        message, hint = _translate_yaml_error(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        source_lines = text.splitlines()
        source_line = source_lines[line - 1] if line <= len(source_lines) else ""
        if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
            # libyaml only says "cannot start any token"; a Tab in the indentation is the usual cause
            message, hint = _translate_yaml_error(yaml.MarkedYAMLError(problem="'\\t'"))
        quote_line, quote_column = _unclosed_quote_line(text, line) if locate_keys else (0, 0)
        if quote_line:
            message, hint = _translate_yaml_error(yaml.MarkedYAMLError(problem="quoted scalar"))
            line, column = quote_line, quote_column
        key = _key_at_line(text, line) if locate_keys else ""
        raise YamlProblem(Problem(path, line, column, key, message, hint=hint)) from None
    except yaml.YAMLError:
        raise YamlProblem(Problem(path, 1, 1, "", "cú pháp YAML không hợp lệ.")) from None
    except RecursionError:
        raise YamlProblem(Problem(path, 1, 1, "", f"dữ liệu lồng nhau quá {MAX_DEPTH} cấp.")) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, builder.positions, builder.raw_scalars, builder.warnings)


NOT_REGULAR = "không phải tệp thường (ống FIFO, socket hay thiết bị): đọc nó sẽ làm treo việc kiểm tra và xây dựng."


def load_yaml_file(file: Path, display: str, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Read, check size and encoding, and parse one file."""
    try:
        status = file.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or device would block the read forever
            raise YamlProblem(Problem(display, 1, 1, "", NOT_REGULAR, hint="xóa nó và đặt một tệp văn bản thật vào đây."))
        size = status.st_size
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
