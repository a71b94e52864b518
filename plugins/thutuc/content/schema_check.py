"""Validate parsed YAML against the JSON Schemas and explain every failure in Vietnamese."""

from __future__ import annotations

import copy
import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .ascii_codes import FOREIGN_DIGIT_HINT, ecma_pattern, foreign_digit_message
from .problems import Problem
from .yamlsource import Location, YamlDocument, location_text

_TYPE_NAMES = {
    "string": "chữ (văn bản)",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "đúng/sai",
    "array": "danh sách (mỗi phần tử một dòng bắt đầu bằng \"- \")",
    "object": "bảng khóa: giá trị",
    "null": "rỗng (null)",
}

_PATTERN_MESSAGES_WRITTEN = {
    "^[^\\s/\\\\].*\\.form\\.yml$": (
        "phải là đường dẫn tính từ thư mục content/ đến tệp định nghĩa biểu mẫu có đuôi .form.yml.",
        "ví dụ: definition: forms/ho-tich/to-khai-khai-sinh.form.yml",
    ),
    "^\\d\\.\\d{6}$": (
        "mã thủ tục phải có dạng một chữ số, dấu chấm, sáu chữ số, ví dụ \"1.001193\".",
        "đặt mã trong dấu nháy kép: code: \"1.001193\".",
    ),
    "^[a-z0-9]+(-[a-z0-9]+)*$": (
        "mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ \"ho-tich\".",
        "",
    ),
    "^https://[^\\s<>\"]+$": ("phải là địa chỉ bắt đầu bằng https://.", ""),
    "^https?://[^\\s<>\"]+$": ("phải là địa chỉ bắt đầu bằng https:// hoặc http://.", ""),
    "^\\d{4}-\\d{2}-\\d{2}$": ("ngày phải có dạng YYYY-MM-DD, ví dụ 2024-07-01.", ""),
    "\\S": ("không được để trống.", ""),
    "^\\S+$": ("không được chứa dấu cách.", ""),
    "^[^@\\s<>\"(),;:?&'`]+@[^@\\s<>\"(),;:?&'`]+\\.[A-Za-z]{2,}$": (
        "địa chỉ thư điện tử không hợp lệ (dạng ten@coquan.gov.vn; không có dấu cách, dấu nháy, “?” hay “&”).", ""),
    "^[0-9+() .-]{3,30}$": ("số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + ( ) . -", ""),
}
# Keyed by the patterns validation runs (ascii_codes.ecma_pattern: \\d is 0-9 only, as in ECMA-262).
_PATTERN_MESSAGES = {ecma_pattern(pattern): text for pattern, text in _PATTERN_MESSAGES_WRITTEN.items()}

# Where to point when a conditionally required key is missing: at the sibling that made it required.
_MISSING_ANCHORS = {"online_url": "online", "text": "amount", "name": "documents"}

# When several rules fail at one place, the first of these explains it best.
_PRIORITY = ["type", "additionalProperties", "required", "enum", "pattern", "format", "minLength", "minItems"]

_MISSING_HINTS = {
    "fees": "ghi \"fees: []\" nếu cách thức này không mất phí.",
    "requirements": "ghi \"requirements: Không\" nếu thủ tục không có yêu cầu, điều kiện.",
    "online_url": "bắt buộc khi online là partial hoặc full.",
    "text": "khi amount là null phải ghi text mô tả mức thu.",
    "name": "khi hồ sơ có từ hai trường hợp trở lên, mỗi trường hợp phải có tên.",
    "files": "ghi danh sách tệp tải lên (files: [] nếu chưa có), hoặc definition: forms/<lĩnh vực>/<tên>.form.yml để sinh tệp tự động.",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in the package (`procedure`, `site-data`)."""
    text = resources.files("thutuc").joinpath("schema").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def procedure_schema(code_pattern: str | None = None) -> dict[str, Any]:
    """The procedure schema as validation runs it: every pattern ASCII-only (`\\d` is 0-9), as ECMA-262 reads it."""
    return _ascii_schema(code_pattern or "")


@cache
def _ascii_schema(code_pattern: str) -> dict[str, Any]:
    schema = copy.deepcopy(load_schema("procedure"))
    if code_pattern:
        schema["properties"]["code"]["pattern"] = code_pattern
    return ascii_patterns(schema)


def ascii_patterns(schema: Any) -> Any:
    """A copy of schema whose `pattern`s match the way ECMA-262 (and every editor's tool) reads them."""
    if isinstance(schema, dict):
        return {key: ecma_pattern(value) if key == "pattern" and isinstance(value, str) else ascii_patterns(value)
                for key, value in schema.items()}
    if isinstance(schema, list):
        return [ascii_patterns(value) for value in schema]
    return schema


@cache
def site_data_schema(kind: str) -> dict[str, Any]:
    """The list schema for `fields`, `agencies` or `life_events`, with the shared definitions."""
    full = load_schema("site-data")
    return ascii_patterns({"$defs": full["$defs"], "$ref": f"#/$defs/{kind}"})


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s, merging sibling keywords (2020-12 allows them)."""
    seen = 0
    while "$ref" in schema and seen < 10:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **merged}
        seen += 1
    return schema


def subschema(root: dict[str, Any], location: Location) -> dict[str, Any] | None:
    """The schema that applies at a data location, or None when the location is not in the schema."""
    schema = _resolve(root, root)
    for part in location:
        if isinstance(part, int):
            items = schema.get("items")
            if not isinstance(items, dict):
                return None
            schema = _resolve(items, root)
        else:
            prop = schema.get("properties", {}).get(part)
            if prop is None:
                return None
            schema = _resolve(prop, root)
    return schema


def _title(root: dict[str, Any], location: Location) -> str:
    schema = subschema(root, location)
    return schema.get("title", "") if schema else ""


# A number written with Vietnamese thousands separators: "50.000", "1.500.000", "50,000", "50.000 đồng".
_GROUPED_NUMBER = re.compile(r"^(\d{1,3})((?:(?P<sep>[.,  ])\d{3})(?:(?P=sep)\d{3})*)(?:\s*(?:đ|đồng|VNĐ|VND|vnđ))?$")
_SEPARATOR_NAMES = {".": "dấu chấm", ",": "dấu phẩy", " ": "dấu cách", "\u00a0": "dấu cách"}


def grouped_number(text: str) -> tuple[str, str] | None:
    """(the digits, the separator's name) when text is a whole number written with thousands separators."""
    found = _GROUPED_NUMBER.match(text.strip())
    if not found:
        return None
    return found[1] + re.sub(r"\D", "", found[2]), _SEPARATOR_NAMES[found["sep"]]


def _grouped_number_problem(document: YamlDocument, root: dict[str, Any], location: Location, raw: str, read_as: str) -> Problem:
    digits, separator = grouped_number(raw) or ("", "")
    title = _title(root, location)
    path, line, column = document.locate(location)
    return Problem(
        path, line, column, location_text(location),
        f"{title + ': ' if title else ''}“{raw}” có {separator} ngăn cách hàng nghìn; {read_as}",
        hint=f"viết {digits} (không dùng {separator} ngăn cách hàng nghìn).",
    )


# A number as citizens read it: decimal digits 0-9, no leading zero. YAML 1.1 (PyYAML) also reads
# "010000" as octal (4096), "1:30:00" as base 60 (5400), "0x10", "0b10" and "1_000": never meant in content.
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$")
_YAML11_FORMS = [
    (re.compile(r"^[-+]?0[0-7_]+$"), "số có số 0 ở đầu, YAML đọc như số hệ 8"),
    (re.compile(r"^[-+]?0x[0-9a-fA-F_]+$"), "số hệ 16 (0x…)"),
    (re.compile(r"^[-+]?0b[01_]+$"), "số hệ 2 (0b…)"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "số có dấu hai chấm, YAML đọc như giờ:phút:giây (hệ 60)"),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?$"), "số có dấu gạch dưới, YAML bỏ qua dấu này"),
]


def _yaml11_number_problem(document: YamlDocument, root: dict[str, Any], location: Location, raw: str) -> Problem | None:
    """An error for a number YAML 1.1 reads in another base or form than the decimal an editor meant."""
    text = raw.strip()
    kind = next((name for pattern, name in _YAML11_FORMS if pattern.match(text)), None)
    if kind is None:
        return None
    value: Any = document.data
    for part in location:
        value = value[part]
    digits = re.sub(r"[^0-9]", "", text).lstrip("0") or "0"
    title = _title(root, location)
    path, line, column = document.locate(location)
    shown = str(value).replace(".", ",")
    return Problem(
        path, line, column, location_text(location),
        f"{title + ': ' if title else ''}“{raw}” là {kind}: trang web sẽ ghi {shown}, không phải {digits}.",
        hint=f"viết {digits} (chỉ các chữ số 0–9, không có số 0 ở đầu, dấu hai chấm hay gạch dưới)."
        if ":" not in text and "x" not in text.lower() else "viết số bằng các chữ số 0–9 liền nhau, ví dụ 10000.",
    )


def coerce_plain_scalars(document: YamlDocument, root: dict[str, Any]) -> list[Problem]:
    """Re-read plain scalars as text where the schema wants text; the errors of grouped numbers (below)."""
    return list(_coerce_plain_scalars(document, root).values())


def _coerce_plain_scalars(document: YamlDocument, root: dict[str, Any]) -> dict[Location, Problem]:
    """Keep the text of unquoted scalars that YAML guessed wrong where the schema wants text.

    Editors write `code: 1.001193` (a float to YAML), `issued: 2014-11-20` (a date) or
    `requirements: No` (a boolean); the schema wants the text they typed. Where the schema wants a
    number, `amount: 50.000` (50 000 đồng with the Vietnamese thousands dot) is the float 50.0 to YAML,
    which the schema would accept: returned as an error, never published as "50 đồng".
    """
    found: dict[Location, Problem] = {}
    for location, raw in document.raw_scalars.items():
        schema = subschema(root, location)
        if not schema:
            continue
        expected = schema.get("type")
        wants_text = expected == "string" or (isinstance(expected, list) and "string" in expected)
        if not wants_text:
            wants_number = any(kind in ("integer", "number") for kind in (expected if isinstance(expected, list) else [expected]))
            grouped = grouped_number(raw) if wants_number else None
            if grouped:
                shown = str(float(raw)).replace(".", ",")  # what the site would publish, Vietnamese style
                read_as = f"YAML đọc giá trị này thành số thập phân {shown}, không phải số nguyên {grouped[0]}."
                found[location] = _grouped_number_problem(document, root, location, raw, read_as)
            elif wants_number and not _PLAIN_NUMBER.match(raw.strip()):
                problem = _yaml11_number_problem(document, root, location, raw)
                if problem is not None:
                    found[location] = problem
            continue
        parent: Any = document.data
        for part in location[:-1]:
            parent = parent[part]
        if location:
            parent[location[-1]] = raw
        else:
            document.data = raw
    return found


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _explain(error: ValidationError, root: dict[str, Any]) -> list[tuple[Location, str, str, str]]:
    """(location, message, hint, suggested key) for one schema error."""
    location: Location = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = [key for key in error.validator_value if key not in (error.instance or {})]
        result = []
        for key in missing:
            title = _title(root, location + (key,))
            label = f"“{key}” ({title})" if title else f"“{key}”"
            result.append((location + (key,), f"thiếu mục bắt buộc {label}.", _MISSING_HINTS.get(key, ""), ""))
        return result
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        result = []
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            suggestion = close[0] if close else ""
            if close:
                title = _title(root, location + (close[0],))
                hint = f"có phải ý bạn là “{close[0]}”" + (f" ({title})" if title else "") + "?"
            else:
                hint = "các khóa được dùng ở đây: " + ", ".join(allowed) + "."
            result.append((location + (key,), f"khóa “{key}” không có trong mẫu nội dung.", hint, suggestion))
        return result
    if kind == "anyOf" and error.context:
        # One of several shapes (a row part: a label or {field, hint, …}): explain the shape the value has.
        relevant = [e for e in error.context if e.validator != "type"] or list(error.context)
        return [item for sub in relevant for item in _explain(sub, root)]
    title = _title(root, location)
    prefix = f"{title}: " if title else ""
    if kind == "type":
        expected = error.validator_value
        names = [_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected])]
        actual = _TYPE_NAMES.get(_type_name(error.instance), "?")
        message = f"{prefix}phải là {' hoặc '.join(names)}, không phải {actual}."
        hint = ""
        if expected == "array" and isinstance(error.instance, str):
            hint = "viết mỗi phần tử trên một dòng bắt đầu bằng \"- \", hoặc [a, b]."
        grouped = grouped_number(error.instance) if isinstance(error.instance, str) else None
        if grouped and {"integer", "number"} & set(expected if isinstance(expected, list) else [expected]):
            digits, separator = grouped
            message = f"{prefix}“{error.instance}” có {separator} ngăn cách hàng nghìn nên không phải là số nguyên."
            hint = f"viết {digits} (không dùng {separator} ngăn cách hàng nghìn)."
        return [(location, message, hint, "")]
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return [(location, f"{prefix}giá trị “{error.instance}” không hợp lệ; chọn một trong: {choices}.", "", "")]
    if kind == "pattern":
        message, hint = _PATTERN_MESSAGES.get(
            error.validator_value, ("giá trị không đúng định dạng.", "")
        )
        foreign = foreign_digit_message(error.instance) if isinstance(error.instance, str) else None
        if foreign:  # looks right to the editor: name the digit that is not 0-9
            message, hint = foreign, FOREIGN_DIGIT_HINT
        elif location and location[-1] == "files" or (len(location) >= 2 and location[-2] == "files"):
            message = "định dạng tệp không được chấp nhận: chỉ dùng .docx .doc .odt .rtf .pdf .txt."
            hint = "chuyển tệp sang một trong các định dạng văn bản trên (Thông tư 39/2017/TT-BTTTT)."
        return [(location, f"{prefix}{message}", hint, "")]
    if kind == "minItems":
        if not error.instance:
            return [(location, f"{prefix}danh sách không được để trống.", "", "")]
        return [(location, f"{prefix}cần ít nhất {error.validator_value} phần tử.", "", "")]
    if kind == "maxItems":
        return [(location, f"{prefix}có {len(error.instance)} phần tử, tối đa {error.validator_value}.", "", "")]
    if kind == "minLength":
        return [(location, f"{prefix}không được để trống.", "", "")]
    if kind == "maxLength":
        return [(location, f"{prefix}quá dài (tối đa {error.validator_value} ký tự).", "", "")]
    if kind == "minimum":
        return [(location, f"{prefix}phải lớn hơn hoặc bằng {error.validator_value}.", "", "")]
    if kind == "maximum":
        return [(location, f"{prefix}phải nhỏ hơn hoặc bằng {error.validator_value}.", "", "")]
    if kind == "uniqueItems":
        return [(location, f"{prefix}có phần tử bị lặp lại.", "xóa phần tử trùng.", "")]
    if kind == "format":
        if error.validator_value == "date":
            return [(location, f"{prefix}ngày “{error.instance}” không tồn tại hoặc sai dạng YYYY-MM-DD.", "", "")]
        if error.validator_value == "email":
            return [(location, f"{prefix}địa chỉ thư điện tử “{error.instance}” không hợp lệ.", "", "")]
    return [(location, f"{prefix}giá trị không hợp lệ.", "", "")]


def _inline_refs(schema: Any, root: dict[str, Any]) -> Any:
    """The schema with every local $ref replaced by its target (our schemas are not recursive)."""
    if isinstance(schema, dict):
        schema = _resolve(schema, root) if "$ref" in schema else schema
        return {key: _inline_refs(value, root) for key, value in schema.items() if key not in ("$defs", "$schema", "$id")}
    if isinstance(schema, list):
        return [_inline_refs(value, root) for value in schema]
    return schema


_COMPILED: dict[int, tuple[dict[str, Any], Any]] = {}


def _fast_validator(schema: dict[str, Any]):
    """A compiled validator (fastjsonschema, ~10x faster than jsonschema) used to pass valid files quickly.

    It stops at the first error, so a file it rejects is validated again by jsonschema for every error
    with its location. Inlining the $refs first makes draft-07 semantics equal to our 2020-12 schema.
    """
    entry = _COMPILED.get(id(schema))
    if entry is None or entry[0] is not schema:
        inlined = _inline_refs(schema, schema)
        inlined["$schema"] = "http://json-schema.org/draft-07/schema#"
        entry = (schema, fastjsonschema.compile(inlined))
        _COMPILED[id(schema)] = entry
    return entry[1]


def validate_document(document: YamlDocument, schema: dict[str, Any]) -> list[Problem]:
    """Every schema problem of one document, located at its line and column."""
    grouped = _coerce_plain_scalars(document, schema)
    try:
        _fast_validator(schema)(document.data)
        return sorted(grouped.values())
    except fastjsonschema.JsonSchemaException:
        pass  # fall through to the thorough validator for located, complete messages
    validator = Draft202012Validator(schema, format_checker=FormatChecker(formats=("date", "email")))
    errors = sorted(
        validator.iter_errors(document.data),
        key=lambda e: _PRIORITY.index(e.validator) if e.validator in _PRIORITY else len(_PRIORITY),
    )
    explained = [item for error in errors for item in _explain(error, schema)]
    # A misspelt key ("titel") explains the missing one ("title"): report the typo once, not twice.
    suggested = {location[:-1] + (suggestion,) for location, _, _, suggestion in explained if suggestion}
    # "amount: 1.500" is the float 1.5 to YAML: its thousands dot explains the type error there too.
    problems: dict[Location, Problem] = dict(grouped)
    for location, message, hint, suggestion in explained:
        if location in problems or (location in suggested and not suggestion and message.startswith("thiếu")):
            continue
        anchor = location
        if message.startswith("thiếu") and location[-1] in _MISSING_ANCHORS:
            sibling = location[:-1] + (_MISSING_ANCHORS[location[-1]],)
            anchor = sibling if sibling in document.positions else location
        path, line, column = document.locate(anchor)
        problems[location] = Problem(path, line, column, location_text(location), message, hint=hint)
    return sorted(problems.values())
