"""Guards of `build.py import`: what an import file may be, and what may be written from it.

An import file comes from outside (a portal export, an officer's spreadsheet, an attacker), so every
value that becomes a path, a comment or a file is checked before anything is written:
- the file's size, number of records or rows, and nesting depth are limited (memory and time stay bounded);
- a procedure code must match the site's `code_pattern` and be a plain file-name part, and every target
  must resolve inside content/procedures (no "../../x", no absolute paths);
- comment lines written into files carry no newline or control character;
- a converted record must pass the procedure schema (lengths, counts, patterns) before it is written;
- a file the importer wrote carries a hash of its content, so a re-import can tell a hand-edited file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from ..content.yamlsource import YamlProblem, parse_yaml
from ..vi.text import fold
from .records import authority_level_of

MAX_FILE_BYTES = 64 * 1024 * 1024  # a whole national export with HTML text is well below this
MAX_RECORDS = 20_000  # records or table rows per file: several times the whole national catalogue
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024  # an .xlsx is a zip: its parts are bounded too
MAX_VALUE_CHARS = 200_000  # one raw value (HTML included); the schema's longest text is 50,000
MAX_DEPTH = 20  # the deepest real record (national format: fees inside times inside methods) has 6 levels

NESTING_MESSAGE = (
    f"dữ liệu JSON lồng nhau quá sâu (quá {MAX_DEPTH} tầng): đây không phải bản ghi thủ tục; "
    "hãy kiểm tra lại tệp xuất từ Cổng."
)

# A re-import compares this hash of the file's YAML body (after the comment lines at the top).
HASH_PREFIX = "Mã kiểm tra nội dung:"

# Filename-safe: what a procedure code may contain, whatever the configured pattern says.
_SAFE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._]{0,39}")


class ImportRefused(Exception):
    """A whole file or one record cannot be imported; the message is Vietnamese and names the reason."""


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_import_file(file: Path) -> None:
    """Refuse a file before reading it: too large, or a format that would be misread."""
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise ImportRefused("tệp .xls (Excel 97–2003) không đọc được: mở bằng Excel, chọn Lưu thành "
                            "“Sổ làm việc Excel (*.xlsx)” rồi nhập tệp .xlsx.")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"tệp quá lớn ({_size_text(size)}; tối đa {_size_text(MAX_FILE_BYTES)}): "
                            "hãy chia thành nhiều tệp nhỏ hơn rồi nhập từng tệp.")
    if suffix == ".xlsx":
        try:
            with zipfile.ZipFile(file) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            raise ImportRefused("tệp .xlsx hỏng hoặc không phải tệp Excel: mở bằng Excel và lưu lại.") from None
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise ImportRefused(f"tệp .xlsx khi giải nén quá lớn ({_size_text(unpacked)}; tối đa "
                                f"{_size_text(MAX_XLSX_UNPACKED_BYTES)}): hãy chia thành nhiều tệp.")


def _number(value: int) -> str:
    """20.000: Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def too_many_records(count: int) -> ImportRefused:
    return ImportRefused(f"tệp có hơn {_number(MAX_RECORDS)} bản ghi (dòng): hãy chia thành nhiều tệp nhỏ hơn "
                         "rồi nhập từng tệp.")


def check_records(records: list[Any]) -> None:
    """Refuse too many records and too deep nesting (checked without recursion)."""
    if len(records) > MAX_RECORDS:
        raise too_many_records(len(records))
    stack: list[tuple[Any, int]] = [(records, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ImportRefused(NESTING_MESSAGE)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, (dict, list)))


def oversized_value(record: dict[str, Any]) -> str:
    """Why a raw record holds a value too long to convert (empty when none): checked before converting.

    The schema's longest text is 50,000 characters; HTML markup may double that. A longer value would
    only be refused after a slow conversion, so it is refused first, naming the key.
    """
    stack: list[tuple[str, Any]] = [("", record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            return (f"{one_line(path, 80)}: giá trị dài {_number(len(value))} ký tự, quá giới hạn "
                    f"{_number(MAX_VALUE_CHARS)} ký tự; không nhập bản ghi này.")
    return ""


def one_line(text: Any, limit: int = 120) -> str:
    """Text safe for a comment line or a message: no newline, no control or bidi character, bounded."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(text))
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def code_problem(code: str, pattern: str) -> str:
    """Why a procedure code cannot be used (empty when it can): checked before any path is built."""
    shown = one_line(code, 40)
    if not code:
        return "bản ghi không có mã thủ tục."
    if not _SAFE_CODE.fullmatch(code) or ".." in code or not re.search(pattern, code):
        return (f"mã thủ tục “{shown}” không đúng dạng mã đã cấu hình (code_pattern {pattern}), "
                "ví dụ 1.001193; không tạo tệp nào cho bản ghi này.")
    return ""


def inside(target: Path, folder: Path) -> bool:
    """True when target resolves (symlinks followed) inside folder."""
    try:
        target.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def schema_problems(data: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """"key: message" for every schema problem of a converted record (empty when it is valid)."""
    from ..content.schema_check import _explain  # the Vietnamese explanations `check` gives for the same rules
    from ..content.yamlsource import location_text

    validator = Draft202012Validator(schema, format_checker=FormatChecker(formats=("date", "email")))
    found: dict[tuple, str] = {}
    for error in validator.iter_errors(data):
        for location, message, _hint, _suggestion in _explain(error, schema):
            found.setdefault(tuple(location), f"{location_text(tuple(location)) or '(bản ghi)'}: {message}")
    return list(found.values())


# -- hand edits ---------------------------------------------------------------------------------------


def body_hash(body: str) -> str:
    normalised = body.replace("\r\n", "\n").rstrip("\n") + "\n"
    return "sha256:" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:32]


def hash_line(body: str) -> str:
    return f"{HASH_PREFIX} {body_hash(body)} (để lần nhập sau nhận ra tệp đã bị sửa tay)."


def hand_edited(file: Path) -> bool:
    """True when an imported file's YAML body no longer has the hash written at import.

    Files imported before hashes were written have none and are not treated as hand-edited.
    """
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    lines = text.replace("\r\n", "\n").split("\n")
    stored = ""
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        match = re.search(re.escape(HASH_PREFIX) + r"\s*(sha256:[0-9a-f]+)", lines[index])
        if match:
            stored = match.group(1)
        index += 1
    if not stored:
        return False
    return body_hash("\n".join(lines[index:])) != stored


# -- authority levels ---------------------------------------------------------------------------------

_LEVEL_KEYS = {"implementationlevels", "implementationlevel", "capthuchien"}


def level_texts(record: dict[str, Any]) -> list[str]:
    """The authority-level texts of a raw record, in any accepted shape (list, objects, "a; b")."""
    texts: list[str] = []
    for key, value in record.items():
        if str(key).lower() not in _LEVEL_KEYS or value in (None, ""):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                lowered = {str(k).lower(): v for k, v in item.items()}
                item = next((lowered[k] for k in ("tencap", "name", "ten", "capthuchien") if lowered.get(k)), "")
            texts.extend(part.strip() for part in re.split(r"[;,\n]", str(item or "")) if part.strip())
    return texts


def level_problem(record: dict[str, Any], configured: dict[str, str]) -> str:
    """Why the authority levels of a record cannot be used (empty when they can): never guess one."""
    texts = level_texts(record)
    choices = ", ".join(f"“{name}”" for name in configured.values())
    if not texts:
        return f"bản ghi không ghi cấp thực hiện; hãy ghi một trong: {choices}."
    known = [t for t in texts if authority_level_of(t, configured)]
    unknown = [t for t in texts if not authority_level_of(t, configured) and "huyen" not in fold(t)]
    if unknown or not known:
        shown = ", ".join(f"“{one_line(t, 60)}”" for t in (unknown or texts))
        return (f"cấp thực hiện {shown} không khớp cấp nào trong cấu hình authority_levels của mkdocs.yml "
                f"({choices}); sửa lại trong tệp nhập hoặc thêm cấp đó vào cấu hình.")
    return ""


def text_problem(body: str) -> str:
    """Why `check` would refuse the YAML text about to be written ("" when it would not): text typed in a
    legacy encoding (VNI, TCVN3, Windows-1258) read as Unicode, direction controls… The import refuses
    the record with this reason rather than write a file that breaks the next build."""
    try:
        parse_yaml(body, "", locate_keys=False)
    except YamlProblem as error:
        problem = error.problem
        where = f"{problem.key}: " if problem.key else ""
        return f"không ghi tệp vì {where}{problem.message}" + (f" Cách sửa trong tệp nguồn: {problem.hint}" if problem.hint else "")
    return ""


NUMERIC_CODE_FIX = "Cách sửa: trong Excel chọn cả cột mã, Định dạng ô → Văn bản (Text), gõ lại các mã rồi nhập lại."


def numeric_code_message(value: float) -> str:
    """Why a code cell stored as a number is refused, saying what actually happened to this one."""
    shown = repr(value) if isinstance(value, float) else str(value)
    decimals = len(shown.partition(".")[2]) if "." in shown and "e" not in shown.lower() else 0
    if decimals == 6:  # "2.003022": read whole, but the next code ending in 0 would not be
        what = (f"ô mã thủ tục được lưu dạng số ({shown}), không phải chữ. Mã này đọc được đủ, nhưng ở cột lưu dạng "
                "số, mã có chữ số 0 ở cuối sẽ mất số 0 đó (1.000890 thành 1.00089), nên không nhận mã dạng số.")
    elif 0 < decimals < 6:
        lost = 6 - decimals
        what = (f"ô mã thủ tục được lưu dạng số ({shown}) nên đã mất {lost} chữ số 0 ở cuối "
                f"(mã thật có thể là {shown}{'0' * lost}).")
    else:
        what = f"ô mã thủ tục được lưu dạng số ({shown}), không có dạng mã thủ tục (ví dụ 1.000890)."
    return f"{what} {NUMERIC_CODE_FIX}"
