"""`build.py import`: procedure records from the National Public Service Portal (JSON) or from tables
(CSV, XLSX; one row per procedure) into procedure files. The mapping is documented in docs/nhap-du-lieu.md.

The imported file is the national record and is rewritten by every re-import; local changes belong in
`content/overlays/<code>.yml`, which the import never touches. Unknown fields and agencies are added to
fields.yml / agencies.yml (and reported) so that an import is complete in one run.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.agency_names import AgencyNames
from ..content.editor_files import dump_yaml, existing_codes, ordered, procedure_path, write_yaml
from ..content.overlays import OVERLAY_DIR
from ..content.problems import display_path
from ..content.yamlsource import YamlProblem, load_yaml_file
from ..vi.text import fold, slug
from .national import convert_national_record, dossier_data, is_national_record, keep_known_related, normalize_keys
from .records import (
    PORTAL_URL,
    ImportError_,
    Pending,
    authority_levels_of,
    channel_of,
    fee_of,
    first_value,
    html_to_markdown,
    name_list,
    one_line_text,
    parse_date,
    split_steps,
)
from .safety import (
    NESTING_MESSAGE,
    ImportRefused,
    check_import_file,
    check_records,
    code_problem,
    hand_edited,
    hash_line,
    inside,
    level_problem,
    numeric_code_message,
    one_line,
    oversized_value,
    schema_problems,
    text_problem,
)
from .summary import count_unknown
from .tables import read_rows

IMPORT_MARKER = "Nhập tự động từ"
@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)
    new_agencies: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # imported files edited by hand since: not overwritten
    unknown_values: int = 0
    missing: list[str] = field(default_factory=list)  # imported earlier from the same source, absent now: never deleted


# -- the portal's JSON record -----------------------------------------------------------------------


def _steps_from_portal(value: Any) -> list[dict[str, str]]:
    if isinstance(value, list):
        steps = []
        for index, item in enumerate(value, 1):
            if isinstance(item, dict):
                title = one_line_text(first_value(item, "title", "name", "stepName") or f"Bước {index}")
                description = html_to_markdown(first_value(item, "content", "description", "detail"))
            else:
                title, description = f"Bước {index}", html_to_markdown(item)
            step = {"title": title}
            if description:
                step["description"] = description
            steps.append(step)
        return steps
    return split_steps(html_to_markdown(value))


def convert_portal_record(record: dict[str, Any], configured_levels: dict[str, str], pending: Pending,
                          notes: list[str]) -> dict[str, Any]:
    """One national record (the portal's detail JSON) to our procedure data. See docs/nhap-du-lieu.md.

    A record in the national procedure database's own format (upper-case or camel-case keys: MATTHC,
    MaTTHC…) is converted by national.py. No value is ever made up: a missing optional fact is
    left out (the page says "Chưa có thông tin") and noted; a missing required one refuses the record.
    """
    if is_national_record(record):
        return convert_national_record(record, configured_levels, pending, notes)
    code = str(first_value(record, "code", "procedureCode", "maThuTuc") or "").strip()
    title = one_line_text(first_value(record, "name", "procedureName", "tenThuTuc"))
    if not code or not title:
        raise ImportError_("bản ghi thiếu mã (code) hoặc tên thủ tục (name).")
    where = f"{code}"
    decision_number = one_line_text(first_value(record, "decisionNumber", "decision", "soQuyetDinh"))
    decision = decision_number if fold(decision_number).startswith("quyet dinh") else (
        f"Quyết định số {decision_number}" if decision_number else "")
    decision_date = parse_date(first_value(record, "decisionDate", "ngayQuyetDinh"))
    if decision and decision_date:
        decision += f" ngày {dt.date.fromisoformat(decision_date).strftime('%d/%m/%Y')}"
    if not decision:
        notes.append(f"{where}: chưa có thông tin quyết định công bố (bản ghi không có); trang ghi “Chưa có thông tin”, "
                     "hãy bổ sung trong tệp bổ sung địa phương.")

    categories = name_list(first_value(record, "categoriesDetails", "categories", "field", "linhVuc"))
    field_name = categories[0] if categories else "Chưa phân loại"
    field_slug = pending.field_slug(field_name)
    pending.fields.setdefault(field_slug, field_name)

    levels = authority_levels_of(
        name_list(first_value(record, "implementationLevels", "implementationLevel", "capThucHien")),
        configured_levels, where, notes, "implementationLevels",
    )

    agencies: dict[str, list[str]] = {}
    address = one_line_text(first_value(record, "receivingAddress", "diaChiTiepNhan"))
    for role, keys in (
        ("implementing", ("departmentsExecuting", "implementingAgencies", "coQuanThucHien")),
        ("competent", ("competentAuthorities", "coQuanCoThamQuyen")),
        ("authorized", ("authorizedAgencies", "coQuanDuocUyQuyen")),
        ("coordinating", ("coordinatingAgencies", "coQuanPhoiHop")),
    ):
        for name in name_list(first_value(record, *keys)):
            pending.add_agency(agencies, role, name, address)
    if not agencies.get("implementing"):
        raise ImportError_("bản ghi không có cơ quan thực hiện (departmentsExecuting).")

    methods = []
    for item in first_value(record, "executionMethods", "methods") or []:
        channel = channel_of(str(item.get("submissionMethod", "")))
        if not channel:
            notes.append(f"{where}: bỏ qua cách thức “{item.get('submissionMethod')}” (không rõ hình thức nộp).")
            continue
        fees = []
        raw_fees = item.get("fees")
        if raw_fees is None:
            # Absent is not "free": only an explicit empty list says no fee is charged.
            raise ImportError_(f"cách thức “{item.get('submissionMethod')}” không có thông tin phí, lệ phí "
                               "(fees); ghi [] nếu không mất phí.")
        if isinstance(raw_fees, list):
            for fee in raw_fees:
                if isinstance(fee, dict):
                    fees.append(fee_of(str(fee.get("feeType", fee.get("kind", ""))), fee.get("amount", fee.get("feeAmount")),
                                       str(fee.get("description", "") or "")))
                elif str(fee).strip():
                    fees.append(fee_of("", fee))
        elif raw_fees not in (None, ""):
            fees.append(fee_of("", raw_fees))
        fees = [f for f in fees if not (f["amount"] == 0 and set(f) == {"kind", "amount"})] or fees
        method: dict[str, Any] = {
            "channel": channel,
            "processing_time": one_line_text(item.get("processingTime")) or one_line_text(first_value(record, "processingTime")),
            "fees": fees,
        }
        description = html_to_markdown(item.get("description"))
        if description:
            method["description"] = description
        if not method["processing_time"]:
            raise ImportError_(f"cách thức “{item.get('submissionMethod')}” không có thời hạn giải quyết "
                               "(processingTime).")
        methods.append(method)
    if not methods:
        raise ImportError_("bản ghi không có cách thức thực hiện (executionMethods).")

    forms: dict[str, dict[str, Any]] = {}
    cases = []
    for case in first_value(record, "executionCases", "cases") or []:
        documents = []
        for component in case.get("profileComponents", []) or []:
            document: dict[str, Any] = {
                "name": one_line_text(component.get("name")),
                "original": int(component.get("originalQty") or 0),
                "copy": int(component.get("copyQty") or 0),
            }
            for form in component.get("forms", component.get("form")) or []:
                form_title = one_line_text(form.get("name") if isinstance(form, dict) else form)
                if not form_title:
                    continue
                form_id = slug(form_title)[:60].strip("-")
                forms.setdefault(form_id, {"id": form_id, "title": form_title, "files": []})
                document.setdefault("form", form_id)
            if document["name"]:
                documents.append(document)
        if documents:
            name = one_line_text(case.get("name"))
            entry: dict[str, Any] = {"name": name} if name else {}
            entry["documents"] = documents
            cases.append(entry)
    if not cases:
        raise ImportError_("bản ghi không có thành phần hồ sơ (executionCases).")
    if len(cases) > 1:
        cases = [case if "name" in case else {"name": f"Trường hợp {i}", **case} for i, case in enumerate(cases, 1)]

    legal = []
    for item in first_value(record, "legalBasisesDetails", "legalBasis") or []:
        number = one_line_text(item.get("number", item.get("code")))
        if not number:
            raise ImportError_("một văn bản trong căn cứ pháp lý không có số ký hiệu (number).")
        entry = {"number": number, "title": one_line_text(item.get("summary", item.get("title", item.get("name")))) or number}
        raw_date = item.get("issuedDate", item.get("issued"))
        issued, issuer = parse_date(raw_date), one_line_text(item.get("issuingAgency", item.get("issuer")))
        if issued:
            entry["issued"] = issued
        else:
            shown = f" (ghi “{one_line_text(raw_date)}”, không phải ngày hợp lệ)" if one_line_text(raw_date) else ""
            notes.append(f"{where}: văn bản “{number}”: chưa có thông tin ngày ban hành{shown}.")
        if issuer:
            entry["issuer"] = issuer
        else:
            notes.append(f"{where}: văn bản “{number}”: chưa có thông tin cơ quan ban hành.")
        url = str(item.get("url") or "")
        if re.match(r"^https?://\S+$", url):
            entry["url"] = url
        legal.append(entry)
    if not legal:
        raise ImportError_("bản ghi không có căn cứ pháp lý (legalBasisesDetails).")

    subjects = name_list(first_value(record, "implementingSubjects", "subjects", "doiTuongThucHien"))
    steps = _steps_from_portal(first_value(record, "executionSteps", "steps"))
    results = name_list(first_value(record, "resultsDetails", "results", "ketQua"))
    for missing, label in ((subjects, "đối tượng thực hiện (implementingSubjects)"), (steps, "trình tự thực hiện (executionSteps)"),
                           (results, "kết quả thực hiện (resultsDetails)")):
        if not missing:
            raise ImportError_(f"bản ghi không có {label}.")
    channels = list(dict.fromkeys(m["channel"] for m in methods))
    data: dict[str, Any] = {
        "code": code,
        "title": title,
        "field": field_slug,
        "level": 1,  # forms on the portal are links, not files: level 2 needs the files in content/forms
        "authority_levels": levels,
        "agencies": agencies,
        "subjects": subjects,
        "steps": steps,
        "methods": methods,
        "processing_time": one_line_text(first_value(record, "processingTime")) or "; ".join(
            dict.fromkeys(m["processing_time"] for m in methods)),
        "dossier": dossier_data(first_value(record, "profileQuantity", "soBoHoSo"), cases),
        "result": results,
        "requirements": html_to_markdown(first_value(record, "requirementsAndConditions", "requirements")) or "Không",
        "receive_return": {"submit": channels, "return": [c for c in channels if c != "online"] or ["direct"]},
        "legal_basis": legal,
    }
    if decision:
        data["decision"] = decision
    procedure_type = one_line_text(first_value(record, "procedureType", "loaiThuTuc"))
    if procedure_type:
        data["procedure_type"] = procedure_type
    if "online" in channels:
        data["online"] = "partial"
        data["online_url"] = PORTAL_URL.format(code=code)
    if forms:
        data["forms"] = list(forms.values())
    summary = one_line_text(first_value(record, "description", "summary", "moTa"))
    if summary:
        data["summary"] = summary[:400]
    keywords = first_value(record, "keywords", "tuKhoa")
    if keywords:
        words = keywords if isinstance(keywords, list) else re.split(r"[,;]", str(keywords))
        data["keywords"] = list(dict.fromkeys(w.strip() for w in words if str(w).strip()))
    updated = parse_date(first_value(record, "updatedDate", "lastUpdated"))
    if updated:
        data["updated"] = updated
    return data


# -- tables (CSV, XLSX), one row per procedure ------------------------------------------------------

# Column headers accepted for each key (English key or the Vietnamese label; case and tones ignored).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma thu tuc"),
    "title": ("title", "ten thu tuc"),
    "decision": ("decision", "quyet dinh cong bo", "so quyet dinh"),
    "field": ("field", "linh vuc"),
    "level": ("level", "muc do"),
    "authority_levels": ("authority_levels", "cap thuc hien"),
    "agencies": ("agencies", "co quan thuc hien"),
    "subjects": ("subjects", "doi tuong thuc hien"),
    "summary": ("summary", "mo ta", "mo ta ngan"),
    "steps": ("steps", "trinh tu thuc hien"),
    "channels": ("channels", "cach thuc thuc hien", "hinh thuc nop"),
    "processing_time": ("processing_time", "thoi han giai quyet"),
    "fees": ("fees", "phi, le phi", "phi le phi"),
    "documents": ("documents", "thanh phan ho so"),
    "result": ("result", "ket qua thuc hien"),
    "requirements": ("requirements", "yeu cau, dieu kien", "yeu cau dieu kien"),
    "legal_basis": ("legal_basis", "can cu phap ly"),
    "keywords": ("keywords", "tu khoa"),
    "updated": ("updated", "ngay cap nhat"),
}


def _column_key(header: str) -> str:
    folded = re.sub(r"\s+", " ", fold(str(header or "")).strip())
    for key, names in TABLE_COLUMNS.items():
        if folded in names:
            return key
    return ""


def _lines(value: Any) -> list[str]:
    return [line.strip(" -•\t") for line in str(value or "").replace("\r", "").split("\n") if line.strip(" -•\t")]


def _split(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", str(value or "")) if part.strip()]


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    """A table row to the portal record shape, so both formats share one conversion."""
    get = {key: row.get(key) for key in TABLE_COLUMNS}
    steps = []
    for line in _lines(get["steps"]):
        title, _, description = line.partition(":")
        steps.append({"title": title.strip(), "content": description.strip()})
    channels = [c.strip() for c in re.split(r"[,;]", str(get["channels"] or "Trực tiếp")) if c.strip()]
    fees = []
    for line in _lines(get["fees"]):
        kind, sep, amount = line.partition(":")
        fees.append({"feeType": kind if sep else "Lệ phí", "amount": amount.strip() if sep else line})
    documents = []
    for line in _lines(get["documents"]):
        parts = [p.strip() for p in line.split("|")]
        documents.append({
            "name": parts[0],
            "originalQty": int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1,
            "copyQty": int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0,
            "forms": [parts[3]] if len(parts) > 3 and parts[3] else [],
        })
    legal = []
    for line in _lines(get["legal_basis"]):
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        legal.append({"number": parts[0], "summary": parts[1], "issuedDate": parts[2], "issuingAgency": parts[3]})
    record: dict[str, Any] = {
        "code": str(get["code"] or "").strip(),
        "name": get["title"],
        "decisionNumber": get["decision"],
        "categoriesDetails": [{"name": str(get["field"] or "").strip()}] if get["field"] else [],
        "implementationLevels": [s.strip() for s in re.split(r"[,;]", str(get["authority_levels"] or "")) if s.strip()],
        "departmentsExecuting": [{"name": n} for n in _split(get["agencies"])],
        "implementingSubjects": _split(get["subjects"]),
        "description": get["summary"],
        "executionSteps": steps,
        "executionMethods": [{"submissionMethod": c, "processingTime": get["processing_time"], "fees": fees} for c in channels],
        "processingTime": get["processing_time"],
        "executionCases": [{"profileComponents": documents}],
        "resultsDetails": _split(get["result"]),
        "requirementsAndConditions": get["requirements"],
        "legalBasisesDetails": legal,
        "keywords": get["keywords"],
        "updatedDate": get["updated"],
        "_level": get["level"],
        "_row": row.get("_row"),
        # A code stored as a number may have lost trailing zeros (1.000890 -> 1.00089): refused, never repaired.
        "_code_number": get["code"] if isinstance(get["code"], (int, float)) and not isinstance(get["code"], bool) else None,
    }
    return record


def read_table(file: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (encoding and separator detected) or XLSX (first sheet) as {key: value, "_row": n}.

    Title rows above the header are skipped; see tables.py for the rules.
    """
    try:
        return read_rows(file, _column_key)
    except ImportRefused as error:
        raise ImportError_(str(error)) from None


def _national_keys(record: dict[str, Any]) -> dict[str, Any]:
    """A record of the national database with its keys in one spelling (MaTTHC, Ma_TTHC -> MATTHC), so
    every later step reads the same keys; an ambiguous one is left as it is for the converter to refuse."""
    if not is_national_record(record):
        return record
    try:
        return normalize_keys(record)
    except ImportError_:
        return record


def read_records(file: Path) -> list[dict[str, Any]]:
    """Portal-shaped records from one export file."""
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(file.read_text("utf-8-sig"))
        except json.JSONDecodeError as error:
            raise ImportError_(f"tệp JSON không hợp lệ (dòng {error.lineno}, cột {error.colno}).") from None
        if isinstance(data, dict):
            for wrapper in ("data", "items", "result"):
                if isinstance(data.get(wrapper), (list, dict)) and "code" not in data:
                    data = data[wrapper]
                    break
        records = data if isinstance(data, list) else [data]
        if not all(isinstance(r, dict) for r in records):
            raise ImportError_("tệp JSON phải chứa một bản ghi thủ tục hoặc một danh sách bản ghi.")
        return [_national_keys(r) for r in records]
    if suffix in (".csv", ".xlsx", ".tsv"):
        return [row_to_record(row) for row in read_table(file)]
    raise ImportError_(f"không nhận dạng được định dạng “{suffix}”: chỉ nhập .json, .csv hoặc .xlsx.")


# -- writing ----------------------------------------------------------------------------------------


def _append_site_list(file: Path, kind: str, entries: list[dict[str, str]]) -> None:
    """Append new entries at the end, keeping the editors' formatting and comments above."""
    from ..content.editor_files import dump_yaml, schema_line

    if file.exists():
        text = file.read_text("utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
    else:
        text = schema_line(file, kind) + "\n"
    file.write_text(text + dump_yaml(entries), "utf-8")


def _site_entries(file: Path) -> list[dict[str, Any]]:
    """The entries of a site list with a slug; none when it is missing or broken (`check` reports that)."""
    if not file.exists():
        return []
    try:
        data = load_yaml_file(file, display_path(file)).data
    except YamlProblem:
        return []
    return [item for item in data if isinstance(item, dict) and item.get("slug")] if isinstance(data, list) else []


def _site_names(file: Path) -> dict[str, str]:
    """{folded name or slug: slug} of a site list, to reuse existing entries instead of creating twins."""
    names: dict[str, str] = {}
    for item in _site_entries(file):
        names[str(item["slug"])] = str(item["slug"])
        names.setdefault(fold(str(item.get("name", ""))), str(item["slug"]))
    return names


def is_imported_file(file: Path) -> bool:
    try:
        head = file.read_text("utf-8")[:600]
    except OSError:
        return False
    return IMPORT_MARKER in head


def _record_label(file: Path, index: int, record: dict[str, Any]) -> str:
    """Where a record is, for messages: the file, the row (tables) or record number (JSON), and its code."""
    code = next((record[k] for k in record if str(k).lower() in ("code", "matthc", "mathutuc", "procedurecode")
                 and record[k] not in (None, "")), "")
    place = f"dòng {record['_row']}" if record.get("_row") else f"bản ghi {index}"
    return f"{display_path(file)} ({place}" + (f", mã {one_line(code, 40)})" if code else ")")


def import_files(files: list[Path], content_dir: Path, configured_levels: dict[str, str], *, force: bool = False,
                 level: int | None = None, code_pattern: str | None = None) -> ImportReport:
    from ..content.schema_check import procedure_schema, site_data_schema

    report = ImportReport()
    schema = procedure_schema(code_pattern)
    pattern = schema["properties"]["code"]["pattern"]
    procedures_dir = content_dir / "procedures"
    fields_file, agencies_file = content_dir / "fields.yml", content_dir / "agencies.yml"
    known_agencies = AgencyNames(_site_names(agencies_file), _agency_names(agencies_file))
    pending = Pending(known_fields=_site_names(fields_file), known_agencies=known_agencies)
    known_agencies.new_entries = pending.agencies
    known_fields, known_agency_slugs = set(pending.known_fields.values()), set(pending.known_agencies.values())
    codes = existing_codes(content_dir)
    converted: list[tuple[dict[str, Any], str]] = []
    seen: dict[str, str] = {}  # code -> where it was first read: one file per code
    for file in files:
        try:
            check_import_file(file)
            records = read_records(file)
            check_records(records)
        except RecursionError:
            report.skipped.append(f"{display_path(file)}: {NESTING_MESSAGE}")
            continue
        except (ImportError_, ImportRefused, OSError, UnicodeDecodeError, csv.Error) as error:
            report.skipped.append(f"{display_path(file)}: {error}")
            continue
        for index, record in enumerate(records, 1):
            where = _record_label(file, index, record)
            if record.get("_code_number") is not None:
                report.skipped.append(f"{where}: {numeric_code_message(record['_code_number'])}")
                continue
            oversized = oversized_value(record)
            if oversized:
                report.skipped.append(f"{where}: {oversized}")
                continue
            levels = level_problem(record, configured_levels)  # before converting: its reason names the values
            if levels:
                report.skipped.append(f"{where}: {levels}")
                continue
            notes_before = len(report.notes)
            try:
                data = convert_portal_record(record, configured_levels, pending, report.notes)
            except (ImportError_, AttributeError, TypeError, ValueError, RecursionError) as error:
                reason = str(error) if isinstance(error, ImportError_) else "bản ghi có cấu trúc không đúng như mô tả trong tài liệu."
                report.skipped.append(f"{where}: {reason}")
                continue
            # Checked before any path is built from the code: "../../x" must never become a file name.
            reason = code_problem(str(data.get("code", "")), pattern)
            if not reason and data["code"] in seen:
                reason = f"mã {data['code']} trùng với {seen[data['code']]} trong lần nhập này; chỉ nhập bản ghi đầu."
            if reason:
                del report.notes[notes_before:]  # the converter's notes about a refused record would mislead
                report.skipped.append(f"{where}: {reason}")
                continue
            wanted_level = level or record.get("_level")
            if wanted_level not in (None, ""):
                try:
                    data["level"] = max(1, min(4, int(wanted_level)))
                except (TypeError, ValueError):
                    report.notes.append(f"{data['code']}: mức độ “{wanted_level}” không hợp lệ; giữ mức 1.")
            problems = schema_problems(data, schema)
            problems += _new_entry_problems(data, pending, known_fields, known_agency_slugs, site_data_schema)
            if problems:
                del report.notes[notes_before:]
                report.skipped.append(f"{where}: không ghi tệp vì giá trị không hợp lệ: " + "; ".join(problems[:5])
                                      + (f"; và {len(problems) - 5} lỗi khác" if len(problems) > 5 else "") + ".")
                continue
            refusal = text_problem(dump_yaml(ordered(data)))  # what `check` would say of the file
            if refusal:
                del report.notes[notes_before:]
                report.skipped.append(f"{where}: {refusal}")
                continue
            seen[data["code"]] = where
            converted.append((data, file.name))

    keep_known_related([d for d, _ in converted], set(codes), report.notes)
    written: list[tuple[dict[str, Any], str]] = []
    for data, source in converted:
        code = data["code"]
        target = codes.get(code) or procedure_path(content_dir, data["field"], code, data["title"])
        if not inside(target, procedures_dir):
            report.skipped.append(f"{code}: đường dẫn {one_line(target, 200)} nằm ngoài content/procedures; không ghi.")
            continue
        existed = target.exists()
        if existed and not force and not is_imported_file(target):
            report.skipped.append(
                f"{code}: tệp {display_path(target)} do biên tập viên viết tay, không ghi đè "
                "(dùng --force nếu muốn thay bằng bản quốc gia; phần sửa riêng nên để trong content/overlays/)."
            )
            continue
        if existed and not force and hand_edited(target):
            report.kept.append(target)
            report.skipped.append(
                f"{code}: tệp {display_path(target)} đã được sửa tay sau lần nhập trước nên được giữ nguyên "
                f"(chuyển phần sửa sang content/{OVERLAY_DIR}/{code}.yml rồi nhập lại, hoặc dùng --force để ghi đè)."
            )
            continue
        body = dump_yaml(ordered(data))
        header = [
            f"{IMPORT_MARKER} {one_line(source, 100)} (bản ghi thủ tục quốc gia). Đừng sửa tệp này: lần nhập sau sẽ ghi đè.",
            f"Thông tin riêng của địa phương (phí, địa chỉ, cơ quan, biểu mẫu…) ghi vào content/{OVERLAY_DIR}/{code}.yml.",
            hash_line(body),
        ]
        write_yaml(target, ordered(data), header)
        (report.updated if existed else report.written).append(target)
        report.unknown_values += count_unknown(data)
        written.append((data, source))
    from .lifecycle import missing_from_import

    report.missing = missing_from_import(content_dir, {one_line(f.name, 100) for f in files}, set(seen), IMPORT_MARKER)
    # Only entries that a written file uses: a refused record adds nothing to the site lists.
    used_fields = {d["field"] for d, _ in written}
    used_agencies = {s for d, _ in written for slugs in d["agencies"].values() for s in slugs}
    new_fields = [{"slug": s, "name": n} for s, n in pending.fields.items() if s in used_fields and s not in known_fields]
    new_agencies = [{"slug": s, **e} for s, e in pending.agencies.items() if s in used_agencies and s not in known_agency_slugs]
    if new_fields and written:
        _append_site_list(fields_file, "fields", new_fields)
        report.new_fields = [f"{e['slug']} ({e['name']})" for e in new_fields]
    if new_agencies and written:
        _append_site_list(agencies_file, "agencies", new_agencies)
        report.new_agencies = [f"{e['slug']} ({e['name']})" for e in new_agencies]
    return report


def _agency_names(file: Path) -> dict[str, str]:
    """{slug: name} of agencies.yml, for matching abbreviated names (agency_names.py)."""
    return {str(a["slug"]): str(a.get("name", "")) for a in _site_entries(file)}


def _new_entry_problems(data: dict[str, Any], pending: Pending, known_fields: set[str], known_agencies: set[str],
                        site_data_schema: Any) -> list[str]:
    """Schema problems of the fields.yml / agencies.yml entries this record would add (e.g. a huge name)."""
    entries: list[tuple[str, dict[str, Any]]] = []
    if data.get("field") not in known_fields and data.get("field") in pending.fields:
        entries.append(("fields", {"slug": data["field"], "name": pending.fields[data["field"]]}))
    for slugs in data.get("agencies", {}).values():
        for agency in slugs:
            if agency not in known_agencies and agency in pending.agencies:
                entries.append(("agencies", {"slug": agency, **pending.agencies[agency]}))
    problems = []
    for kind, entry in entries:
        for problem in schema_problems([entry], site_data_schema(kind)):  # type: ignore[arg-type]
            problems.append(f"{kind}.yml: {problem}")
    return problems
