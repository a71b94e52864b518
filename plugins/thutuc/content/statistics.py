"""Processing statistics per service from 1 January to date (Circular 32/2017 Art. 11.3). No MkDocs here.

The provincial one-stop system exports one table: `content/thong-ke.csv`, `.xlsx` or `.json`, one row
per procedure code and period (docs/thong-ke.md). This module reads it, checks it like procedures
(every problem located as file:line:column: key, in Vietnamese); statistics_view.py prepares what
pages show from it.

The identity every row must satisfy (documented in docs/thong-ke.md):
    tiep_nhan = dung_han + tre_han + dang_giai_quyet + tra_lai   and   truc_tuyen <= tiep_nhan
On-time share = dung_han / (dung_han + tre_han), only when something was resolved.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import difflib
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..vi.labels import date_vi
from ..vi.text import fold
from .ascii_codes import FOREIGN_DIGIT_HINT, foreign_digit_message
from .pages_source import irregular_problem, link_problem
from .problems import Problem, Problems, display_path
from .urls import statistics_csv_url
from .yamlsource import YamlProblem, decode_text, parse_yaml

FILE_STEM = "thong-ke"
FORMATS = (".csv", ".xlsx", ".json")
MAX_BYTES = 20 * 1024 * 1024
ONLINE_KINDS = ("partial", "full")  # procedures that accept online submission show their figures

# Columns of the table, in the order of the CSV download; the label is what pages and messages show.
COUNTS = {
    "tiep_nhan": "Số hồ sơ tiếp nhận",
    "truc_tuyen": "Trong đó nộp trực tuyến",
    "dung_han": "Đã giải quyết đúng hạn",
    "tre_han": "Đã giải quyết quá hạn",
    "dang_giai_quyet": "Đang giải quyết",
    "tra_lai": "Trả lại, rút hồ sơ",
}
REQUIRED = ("ma_thu_tuc", "den_ngay", *COUNTS)
OPTIONAL = ("ky", "ten_thu_tuc")  # ten_thu_tuc is for people reading the file; the site uses the catalogue's title
COLUMNS = REQUIRED + OPTIONAL
MAX_HINTS = 20  # unknown codes that get a "did you mean" (difflib over the catalogue is slow)
WHOLE_YEAR = "cả năm"  # how a row without a period (year to date) is named in messages


@dataclass(frozen=True)
class Figures:
    """Counts of records for one procedure, field, agency or the whole province."""

    received: int = 0
    online: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    returned: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.received + other.received, self.online + other.online, self.on_time + other.on_time,
                       self.late + other.late, self.in_progress + other.in_progress, self.returned + other.returned)

    @property
    def resolved(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_share(self) -> float | None:
        """Per cent of resolved records resolved on time; None when nothing was resolved."""
        return 100 * self.on_time / self.resolved if self.resolved else None

    def counts(self) -> tuple[int, ...]:
        return (self.received, self.online, self.on_time, self.late, self.in_progress, self.returned)


@dataclass
class Statistics:
    """A valid statistics file: year, the date it runs to, and the figures of each procedure code."""

    year: int
    as_of: str  # YYYY-MM-DD
    source: str  # as editors see it, e.g. content/thong-ke.csv
    by_code: dict[str, Figures]
    digest: str  # changes when the file's content does: part of page keys (preview)

    @property
    def as_of_vi(self) -> str:
        return date_vi(self.as_of)

    @property
    def csv_name(self) -> str:
        return f"thong-ke-{self.year}.csv"

    @property
    def csv_url(self) -> str:
        return statistics_csv_url(self.csv_name)


@dataclass
class StatisticsResult:
    statistics: Statistics | None
    problems: Problems


# -- formatting -----------------------------------------------------------------------------------------


def number_vi(value: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def share_vi(share: float | None) -> str:
    """95.24 -> "95,2 %"; None -> a plain sentence."""
    if share is None:
        return "chưa có hồ sơ giải quyết xong"
    return f"{share:.1f}".replace(".", ",") + " %"


def share_csv(share: float | None) -> str:
    return "" if share is None else f"{share:.1f}"


# -- reading the file -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    value: Any
    line: int
    column: int


@dataclass(slots=True)
class Row:
    line: int
    column: int
    values: dict[str, Any]
    columns: dict[str, int]  # tables: the column number of each key, one dict shared by all rows
    positions: dict[str, tuple[int, int]] | None = None  # JSON: (line, column) of each value
    label: str = ""  # how messages name a row's key prefix: "" for tables, "so_lieu[3]." for JSON

    def at(self, key: str) -> tuple[int, int]:
        """Where a value is, for messages (looked up only then: 20,000 rows read fast)."""
        if self.positions is not None:
            return self.positions.get(key, (self.line, self.column))
        return self.line, self.columns.get(key, 1)


def _column_key(header: Any) -> str:
    """"Mã thủ tục", "MA_THU_TUC" and "ma-thu-tuc" all name ma_thu_tuc."""
    text = fold(str(header or "").strip())
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _table_rows(table: list[tuple[int, list[Any]]], shown: str, problems: Problems) -> list[Row]:
    """Rows of a CSV or sheet given as (line, cells); the first non-empty row names the columns."""
    header_index = next((i for i, (_, cells) in enumerate(table) if any(c not in (None, "") for c in cells)), None)
    if header_index is None:
        raise _Refused(Problem(shown, 1, 1, "", "tệp không có dữ liệu.", hint="dòng đầu ghi tên cột, mỗi dòng sau là một thủ tục."))
    header_line, header = table[header_index]
    keys: list[str] = []
    seen: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        key = _column_key(name)
        keys.append(key)
        if not key:
            continue
        if key not in COLUMNS:
            close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.6)
            problems.add(Problem(shown, header_line, column, key, f"cột “{name}” không có trong mẫu số liệu.",
                                 hint=f"có phải ý bạn là “{close[0]}”?" if close else "các cột: " + ", ".join(COLUMNS) + "."))
        elif key in seen:
            problems.add(Problem(shown, header_line, column, key, f"cột “{key}” bị trùng với cột thứ {seen[key]}.",
                                 hint="xóa một trong hai cột."))
        else:
            seen[key] = column
    for key in REQUIRED:
        if key not in seen:
            problems.add(Problem(shown, header_line, 1, key, f"thiếu cột bắt buộc “{key}”.",
                                 hint="dòng đầu phải có các cột: " + ", ".join(REQUIRED) + "."))
    wanted = [(key, column - 1) for key, column in seen.items()]
    rows = []
    for line, cells in table[header_index + 1:]:
        if all(c is None or c == "" for c in cells):
            continue  # blank lines (often at the end of an export)
        width = len(cells)
        rows.append(Row(line, 1, {key: cells[index] for key, index in wanted if index < width}, seen))
    return rows


def _read_csv(raw: bytes, shown: str, problems: Problems) -> list[Row]:
    try:
        text = decode_text(raw, shown)
    except YamlProblem as error:  # the key it names is YAML's guess: a table line has none
        raise _Refused(dataclasses.replace(error.problem, key="")) from None
    first = text.split("\n", 1)[0]
    # Excel with Vietnamese regional settings separates columns with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        start = 1
        for cells in reader:
            table.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise _Refused(Problem(shown, reader.line_num, 1, "", f"dòng CSV không hợp lệ ({error}).",
                               hint="kiểm tra dấu nháy kép ở dòng này.")) from None
    return _table_rows(table, shown, problems)


def _read_xlsx(path: Path, shown: str, problems: Problems) -> list[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or mislabelled file
        raise _Refused(Problem(shown, 1, 1, "", "không đọc được tệp Excel (.xlsx); tệp có thể bị hỏng hoặc không phải .xlsx.",
                               hint="mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = [(line, list(cells)) for line, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
    finally:
        workbook.close()
    return _table_rows(table, shown, problems)


def _read_json(raw: bytes, shown: str, problems: Problems) -> tuple[list[Row], Cell | None]:
    """{"den_ngay": "YYYY-MM-DD", "so_lieu": [{row}, …]}; positions come from the YAML reader when it can."""
    try:
        text = decode_text(raw, shown)
    except YamlProblem as error:
        raise _Refused(error.problem) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Refused(Problem(shown, error.lineno, error.colno, "", f"tệp JSON không hợp lệ ({error.msg}).",
                               hint="kiểm tra dấu phẩy, dấu nháy và ngoặc ở vị trí này.")) from None
    except ValueError:  # an integer of thousands of digits: Python refuses to read it
        raise _Refused(Problem(shown, 1, 1, "", "tệp JSON có một số quá dài (hàng nghìn chữ số).",
                               hint="kiểm tra lại số liệu: có thể thừa chữ số.")) from None
    try:
        document = parse_yaml(text, shown, locate_keys=False)  # JSON is YAML: the same positions as procedures
        position = document.position
    except YamlProblem:
        def position(_location):
            return (1, 1)
    if not isinstance(data, dict) or not isinstance(data.get("so_lieu"), list):
        raise _Refused(Problem(shown, 1, 1, "so_lieu", "tệp JSON phải là một đối tượng có danh sách “so_lieu”.",
                               hint='ví dụ {"den_ngay": "2026-11-30", "so_lieu": [{"ma_thu_tuc": "1.001193", …}]}.'))
    for key in data:
        if key not in ("den_ngay", "so_lieu"):
            line, column = position((key,))
            problems.add(Problem(shown, line, column, key, f"khóa “{key}” không có trong mẫu số liệu.",
                                 hint="các khóa: den_ngay, so_lieu."))
    as_of = None
    if "den_ngay" in data:
        as_of = Cell(data["den_ngay"], *position(("den_ngay",)))
    rows = []
    for index, item in enumerate(data["so_lieu"]):
        line, column = position(("so_lieu", index))
        row = Row(line, column, {}, {}, {}, label=f"so_lieu[{index}].")
        if not isinstance(item, dict):
            problems.add(Problem(shown, line, column, f"so_lieu[{index}]", "mỗi phần tử phải là một đối tượng {…}."))
            continue
        for key, value in item.items():
            key_line, key_column = position(("so_lieu", index, key))
            if key not in COLUMNS:
                close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.6)
                problems.add(Problem(shown, key_line, key_column, f"so_lieu[{index}].{key}", f"khóa “{key}” không có trong mẫu số liệu.",
                                     hint=f"có phải ý bạn là “{close[0]}”?" if close else "các khóa: " + ", ".join(COLUMNS) + "."))
                continue
            row.values[key] = value
            row.positions[key] = (key_line, key_column)
        rows.append(row)
    return rows, as_of


# -- checking the rows ------------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        return _date_text(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _date_text(str(value or ""))


@functools.lru_cache(maxsize=64)
def _date_text(text: str) -> dt.date | None:
    """Every row of an export carries the same date: parsed once."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# More dossiers than any province receives in a year by far; larger values are typos or attacks (a count of
# hundreds of digits overflowed the share computation, and Python refuses to parse over 4,300 digits).
MAX_COUNT = 10**9


def _count(value: Any) -> int | None:
    """A non-negative whole number from a cell: 12, "12", 12.0; None for anything else (negatives are checked apart)."""
    if type(value) is str and value.isascii() and value.isdigit():  # the usual CSV cell
        return int(value) if len(value) <= 12 else MAX_COUNT + 1
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value if value is not None else "").strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text) if len(text) <= 13 else (MAX_COUNT + 1 if text[0] != "-" else -1)
    return None


def _shorten(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:20] + f"… ({len(text)} chữ số)"


_PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2}))?$|^([0-9]{1,2})/([0-9]{4})$")


def _period(value: Any) -> tuple[int, int] | None:
    """(year, month) of a period: "2026-03", "03/2026" or a month date; month 0 is the year to date ("2026")."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, value.month
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # float() of a huge int would overflow (values read from text always convert back)
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    found = _PERIOD.match(str(value or "").strip())
    if not found:
        return None
    if found.group(1) and found.group(2) is None:
        return int(found.group(1)), 0
    year, month = (int(found.group(1)), int(found.group(2))) if found.group(1) else (int(found.group(4)), int(found.group(3)))
    return (year, month) if 1 <= month <= 12 else None


def _period_text(period: tuple[int, int]) -> str:
    return f"tháng {period[1]:02d}/{period[0]}" if period[1] else WHOLE_YEAR


def _check_rows(rows: list[Row], file_as_of: Cell | None, shown: str, codes: set[str] | None, today: dt.date,
                problems: Problems) -> tuple[dt.date | None, dict[str, Figures]]:
    by_code: dict[str, Figures] = {}
    seen: dict[tuple[str, tuple[int, int]], int] = {}
    kinds: dict[str, tuple[bool, int]] = {}  # code -> (has a whole-year row, line of the first row)
    as_of: dt.date | None = None
    as_of_line = 0
    as_of_at = (1, 1, "den_ngay")  # line, column, key of the cell the date was taken from
    hints: dict[str, list[str]] = {}  # unknown code -> its suggestion

    def add(row: Row, key: str, message: str, hint: str = "") -> None:
        problems.add(Problem(shown, *row.at(key), row.label + key, message, hint=hint))

    if file_as_of is not None:
        as_of = _date(file_as_of.value)
        if as_of is None:
            problems.add(Problem(shown, file_as_of.line, file_as_of.column, "den_ngay",
                                 f"“{file_as_of.value}” không phải ngày hợp lệ.", hint="ghi ngày dạng YYYY-MM-DD, ví dụ 2026-11-30."))
        as_of_line = file_as_of.line
        as_of_at = (file_as_of.line, file_as_of.column, "den_ngay")
    for row in rows:
        cells = row.values
        missing = [key for key in REQUIRED if key not in cells and not (key == "den_ngay" and file_as_of is not None)]
        for key in missing:
            if row.label:  # tables report a missing column once, at the header
                problems.add(Problem(shown, row.line, row.column, row.label + key, f"thiếu mục bắt buộc “{key}”."))
        ok = not missing
        known = True  # an unknown code still gets its numbers checked: every problem in one run
        code_value = cells.get("ma_thu_tuc")
        if isinstance(code_value, float):  # Excel turned 2.000720 into the number 2.00072
            code_value = f"{code_value:.6f}"
        code = str(code_value).strip() if code_value not in (None, "") else ""
        if "ma_thu_tuc" in cells and not code:
            add(row, "ma_thu_tuc", "thiếu mã thủ tục.")
            ok = False
        elif foreign := foreign_digit_message(code):  # never matches a catalogue code: say why
            add(row, "ma_thu_tuc", foreign, FOREIGN_DIGIT_HINT)
            known = False
        elif code and codes is not None and code not in codes:
            if code not in hints:
                # A file of another province has thousands of unknown codes: difflib over the whole
                # catalogue for each would take minutes, so only the first few get a suggestion.
                hints[code] = difflib.get_close_matches(code, codes, n=1, cutoff=0.6) if len(hints) < MAX_HINTS else []
            close = hints[code]
            add(row, "ma_thu_tuc", f"không có thủ tục nào mang mã “{code}” trong danh mục.",
                f"có phải ý bạn là “{close[0]}”? Nếu không, xóa dòng này hoặc thêm thủ tục vào content/procedures/."
                if close else "xóa dòng này hoặc thêm thủ tục vào content/procedures/.")
            known = False
        if "den_ngay" in cells:
            date = _date(cells["den_ngay"])
            if date is None:
                add(row, "den_ngay", f"“{_shorten(cells['den_ngay'])}” không phải ngày hợp lệ.",
                    "ghi ngày dạng YYYY-MM-DD, ví dụ 2026-11-30.")
                ok = False
            elif as_of is None:
                as_of, as_of_line = date, row.at("den_ngay")[0]
                as_of_at = (*row.at("den_ngay"), row.label + "den_ngay")
            elif date != as_of:
                add(row, "den_ngay", f"ngày {date_vi(date.isoformat())} khác ngày {date_vi(as_of.isoformat())} ở dòng {as_of_line}.",
                    "cả tệp là một lần xuất số liệu: mọi dòng cùng một ngày “đến ngày”.")
                ok = False
        counts: dict[str, int] = {}
        for key in COUNTS:
            if key not in cells:
                continue
            value = _count(cells[key])
            if value is None:
                grouped = re.fullmatch(r"\s*\d{1,3}(?:[.,\s]\d{3})+\s*", str(cells[key]))  # "1.053": a thousands separator
                hint = (f"bỏ dấu chấm phân cách hàng nghìn: ghi {re.sub(r'[^0-9]', '', grouped.group())}, không ghi "
                        f"{cells[key]}." if grouped else "ghi số hồ sơ bằng chữ số, ví dụ 125.")
                add(row, key, f"“{_shorten(cells[key])}” không phải số nguyên ({COUNTS[key]}).", hint)
                ok = False
            elif value < 0:
                add(row, key, f"số âm ({_shorten(value)}) không hợp lệ cho “{COUNTS[key]}”.", "số hồ sơ phải từ 0 trở lên.")
                ok = False
            elif value > MAX_COUNT:
                add(row, key, f"“{_shorten(cells[key])}” quá lớn cho “{COUNTS[key]}” (tối đa {number_vi(MAX_COUNT)}).",
                    "kiểm tra lại số liệu: có thể thừa chữ số.")
                ok = False
            else:
                counts[key] = value
        period = (as_of.year, 0) if as_of else (0, 0)
        if cells.get("ky") not in (None, ""):
            found = _period(cells["ky"])
            if found is None:
                add(row, "ky", f"“{_shorten(cells['ky'])}” không phải kỳ số liệu hợp lệ.",
                    "ghi tháng dạng YYYY-MM (ví dụ 2026-03) hoặc để trống nếu dòng là số liệu từ đầu năm.")
                ok = False
            elif as_of is not None and (found[0] != as_of.year or found[1] > as_of.month):
                add(row, "ky", f"kỳ {_period_text(found) if found[1] else found[0]} không thuộc năm {as_of.year} "
                    f"tính đến ngày {date_vi(as_of.isoformat())}.",
                    "số liệu chỉ gồm các tháng từ đầu năm đến ngày “den_ngay”.")
                ok = False
            else:
                period = found
        if len(counts) < len(COUNTS):
            continue
        figures = Figures(counts["tiep_nhan"], counts["truc_tuyen"], counts["dung_han"], counts["tre_han"],
                          counts["dang_giai_quyet"], counts["tra_lai"])
        total = figures.on_time + figures.late + figures.in_progress + figures.returned
        if figures.received != total:
            add(row, "tiep_nhan",
                f"số hồ sơ tiếp nhận ({figures.received}) phải bằng đúng hạn + quá hạn + đang giải quyết + trả lại "
                f"({figures.on_time} + {figures.late} + {figures.in_progress} + {figures.returned} = {total}).",
                "kiểm tra lại các số của dòng này trong hệ thống một cửa.")
            continue
        if figures.online > figures.received:
            add(row, "truc_tuyen",
                f"số hồ sơ nộp trực tuyến ({figures.online}) lớn hơn số hồ sơ tiếp nhận ({figures.received}).",
                "hồ sơ trực tuyến là một phần của hồ sơ tiếp nhận.")
            continue
        if not ok or not known or not code:
            continue
        key = (code, period)
        if key in seen:
            add(row, "ma_thu_tuc", f"mã “{code}” kỳ {_period_text(period)} đã có ở dòng {seen[key]}.",
                "mỗi thủ tục chỉ một dòng cho mỗi kỳ: xóa dòng trùng hoặc cộng gộp số liệu.")
            continue
        whole = period[1] == 0
        if code in kinds and kinds[code][0] != whole:
            add(row, "ma_thu_tuc", f"mã “{code}” vừa có dòng cả năm vừa có dòng theo tháng (dòng {kinds[code][1]}): "
                "số liệu sẽ bị tính hai lần.", "dùng một cách ghi cho mỗi thủ tục: các dòng theo tháng, hoặc một dòng từ đầu năm.")
            continue
        seen[key] = row.line
        kinds.setdefault(code, (whole, row.line))
        by_code[code] = by_code.get(code, Figures()) + figures
    if as_of is not None and as_of > today:
        problems.add(Problem(shown, *as_of_at,
                             f"ngày {date_vi(as_of.isoformat())} còn ở tương lai (hôm nay là {date_vi(today.isoformat())}).",
                             hint="số liệu chỉ tính đến ngày đã qua: kiểm tra lại ngày xuất số liệu."))
    if as_of is None and not problems.errors:
        problems.add(Problem(shown, 1, 1, "den_ngay", "không có ngày “đến ngày” của số liệu.", hint="ghi ngày vào cột den_ngay."))
    return as_of, by_code


_CACHE: dict[tuple, tuple[list[Row], Cell | None, list[Problem]]] = {}


def statistics_files(content_dir: Path) -> list[Path]:
    """Every content/thong-ke.* entry, links and FIFOs included: load_statistics refuses those."""
    found = [content_dir / f"{FILE_STEM}{suffix}" for suffix in FORMATS]
    return [path for path in found if path.exists() or path.is_symlink()]


def load_statistics(content_dir: Path, codes: set[str] | None, today: dt.date | None = None) -> StatisticsResult:
    """Read and check content/thong-ke.(csv|xlsx|json). No file: no statistics and no problem.

    codes: the catalogue's procedure codes; None skips the unknown-code check (used when procedures
    themselves have errors, whose codes would otherwise be reported as unknown too).
    """
    problems = Problems()
    found = statistics_files(content_dir)
    if not found:
        return StatisticsResult(None, problems)
    file = found[0]
    shown = display_path(file)
    refused = link_problem(file, [content_dir.resolve()], "content/") or (
        None if file.is_file() else irregular_problem(file, "content/"))
    if refused is not None:  # a link to another site's data, or a FIFO that would block the read
        problems.add(refused)
        return StatisticsResult(None, problems)
    if len(found) > 1:
        problems.add(Problem(display_path(found[1]), 1, 1, "", f"có nhiều hơn một tệp số liệu ({', '.join(p.name for p in found)}).",
                             hint="giữ một tệp thong-ke (.csv, .xlsx hoặc .json), xóa các tệp còn lại."))
        return StatisticsResult(None, problems)
    try:
        stat = file.stat()
        if stat.st_size > MAX_BYTES:
            problems.add(Problem(shown, 1, 1, "", f"tệp quá lớn ({stat.st_size // 1024} KB; tối đa {MAX_BYTES // 1024} KB)."))
            return StatisticsResult(None, problems)
        raw = file.read_bytes()
    except OSError as error:
        problems.add(Problem(shown, 1, 1, "", f"không đọc được tệp ({error.strerror})."))
        return StatisticsResult(None, problems)
    digest = hashlib.sha256(raw).hexdigest()
    # Kept between loads: the preview reloads content after every save and the file rarely changes.
    cache_key = (str(file), digest)
    if cache_key not in _CACHE:
        read_problems = Problems()
        try:
            if file.suffix == ".xlsx":
                rows, file_as_of = _read_xlsx(file, shown, read_problems), None
            elif file.suffix == ".json":
                rows, file_as_of = _read_json(raw, shown, read_problems)
            else:
                rows, file_as_of = _read_csv(raw, shown, read_problems), None
        except _Refused as refusal:
            rows, file_as_of = [], None
            read_problems.add(refusal.problem)
        _CACHE.clear()
        _CACHE[cache_key] = (rows, file_as_of, read_problems.items)
    rows, file_as_of, read_problems = _CACHE[cache_key]
    problems.extend(read_problems)
    if problems.errors:
        return StatisticsResult(None, problems)
    as_of, by_code = _check_rows(rows, file_as_of, shown, codes, today or dt.date.today(), problems)
    if problems.errors or as_of is None:
        return StatisticsResult(None, problems)
    return StatisticsResult(Statistics(as_of.year, as_of.isoformat(), shown, by_code, digest), problems)
