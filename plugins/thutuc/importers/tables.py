"""Read the tables officers really have: CSV from Excel on Vietnamese Windows, and XLSX with title rows.

- CSV encoding: a byte-order mark decides (UTF-8 with BOM, UTF-16 "Unicode text"); otherwise UTF-8,
  then Windows-1258 (Excel's "CSV" on Vietnamese Windows). Windows-1258 writes tones as combining marks,
  so every text is normalised to NFC.
- CSV separator: comma, semicolon or tab, whichever yields the header row with the most known columns.
- Header row: the first row (among the first rows) that names at least "Mã thủ tục" and "Tên thủ tục";
  title rows ("DANH MỤC THỦ TỤC HÀNH CHÍNH…") and blank rows above it are skipped.
- XLSX is streamed (openpyxl read-only) and reading stops at the row limit, so memory and time stay
  bounded whatever the file says; before that, xlsx_limits.py streams every part and refuses a cell too
  long, too many cells or too much time, with the reason.
Every row keeps its row number in the sheet ("_row") for messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..vi.text import fold, nfc
from .safety import MAX_RECORDS, ImportRefused, too_many_records
from .xlsx_limits import check_time, check_xlsx, deadline

HEADER_SEARCH_ROWS = 30
MAX_COLUMNS = 100
_SEPARATORS = (",", ";", "\t")
# A long legal text fits in one cell; the file size is limited anyway.
csv.field_size_limit(min(sys.maxsize, 1024 * 1024))

# Headers that real national lists use besides the documented ones ("Mã TTHC", "Tên TTHC").
EXTRA_HEADERS = {
    "ma tthc": "code",
    "ma so tthc": "code",
    "ma thu tuc hanh chinh": "code",
    "ten tthc": "title",
    "ten thu tuc hanh chinh": "title",
}


def decode_csv(raw: bytes) -> tuple[str, str]:
    """(NFC text, encoding name) of a CSV file's bytes; refuses what is no text in a known encoding."""
    if raw.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1258"]
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return nfc(text), encoding
    raise ImportRefused("không đọc được tệp CSV: không phải văn bản UTF-8, UTF-16 hay Windows-1258 (ANSI). "
                        "Gợi ý: trong Excel chọn Lưu thành “CSV UTF-8 (phân tách bằng dấu phẩy)”.")


def column_key_of(header: Any, column_key: Callable[[str], str]) -> str:
    folded = re.sub(r"\s+", " ", fold(str(header or "")).strip(" *:\t\n"))
    return column_key(str(header or "")) or column_key(folded) or EXTRA_HEADERS.get(folded, "")


def _header_keys(values: list[Any], column_key: Callable[[str], str]) -> list[str] | None:
    keys = [column_key_of(v, column_key) for v in values]
    return keys if "code" in keys and "title" in keys else None


def _csv_rows(text: str, separator: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        # Numbered as rows, the way Excel shows the file (a cell with line breaks spans several lines).
        yield from enumerate(reader, 1)
    except csv.Error as error:
        raise ImportRefused(f"dòng {reader.line_num} của tệp CSV không đọc được (có thể thiếu dấu ngoặc kép "
                            f"đóng, hoặc một ô quá dài): {error}.") from None


def _xlsx_rows(file: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    # Opening a sheet read-only reads its declared size; a sheet without one (written by some tools, or
    # on purpose) is parsed to the end first: a minute for a million rows, before the row limit applies.
    # The size is not needed (rows are read until the limit), so that scan is skipped while opening.
    until = deadline()
    check_xlsx(file, until)  # cell sizes, cell count and time, streamed before openpyxl loads anything whole
    size_scan = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None  # type: ignore[method-assign]
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same to an editor
        raise ImportRefused("tệp .xlsx hỏng hoặc không phải tệp Excel: mở bằng Excel và lưu lại.") from None
    finally:
        ReadOnlyWorksheet._get_size = size_scan  # type: ignore[method-assign]
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a wrong declared size must not cut rows off silently
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
            if number % 1000 == 0:
                check_time(until)
            yield number, list(values)
    finally:
        workbook.close()


def _find_header(rows: Iterator[tuple[int, list[Any]]], column_key: Callable[[str], str]) -> tuple[int, list[str]] | None:
    for number, values in rows:
        keys = _header_keys(values, column_key)
        if keys:
            return number, keys
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def _no_header() -> ImportRefused:
    return ImportRefused(f"không tìm thấy dòng tên cột trong {HEADER_SEARCH_ROWS} dòng đầu của bảng: cần một dòng "
                         "có ít nhất cột “Mã thủ tục” và “Tên thủ tục” (xem docs/nhap-du-lieu.md).")


def read_rows(file: Path, column_key: Callable[[str], str]) -> list[dict[str, Any]]:
    """Rows below the header as {key: value, "_row": row number}; blank rows skipped."""
    if file.suffix.lower() == ".xlsx":
        rows = _xlsx_rows(file)
        header = _find_header(rows, column_key)
        if header is None:
            raise _no_header()
    else:
        text, _encoding = decode_csv(file.read_bytes())
        best: tuple[int, str, tuple[int, list[str]]] | None = None
        for separator in _SEPARATORS:
            try:
                found = _find_header(_csv_rows(text, separator), column_key)
            except ImportRefused:
                continue
            if found and (best is None or sum(map(bool, found[1])) > best[0]):
                best = (sum(map(bool, found[1])), separator, found)
        if best is None:
            raise _no_header()
        _count, separator, header = best
        rows = _csv_rows(text, separator)
        for number, _values in rows:
            if number >= header[0]:
                break
    header_row, keys = header
    result: list[dict[str, Any]] = []
    for number, values in rows:
        # Blank rows count too: a sheet of a million empty rows must stop here as well.
        if number - header_row > MAX_RECORDS:
            raise too_many_records(number - header_row)
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        row: dict[str, Any] = {"_row": number}
        for key, value in zip(keys, values, strict=False):
            if key:
                row[key] = nfc(value) if isinstance(value, str) else value
        result.append(row)
    return result

