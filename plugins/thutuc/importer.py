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

from markdownify import markdownify

from .editor_files import existing_codes, ordered, procedure_path, write_yaml
from .overlays import OVERLAY_DIR
from .problems import display_path
from .text import fold, slug
from .yamlsource import YamlProblem, load_yaml_file

IMPORT_MARKER = "Nhập tự động từ"
PORTAL_URL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"

CHANNEL_WORDS = [("buu chinh", "postal"), ("truc tuyen", "online"), ("qua mang", "online"), ("truc tiep", "direct"),
                 ("postal", "postal"), ("online", "online"), ("direct", "direct")]
LEVEL_WORDS = [("trung uong", "bo"), ("cap bo", "bo"), ("bo", "bo"), ("tinh", "tinh"), ("xa", "xa"), ("phuong", "xa")]


class ImportError_(Exception):
    """A record that cannot be converted, with a Vietnamese reason."""


@dataclass
class Pending:
    """Site-list entries an import needs: created in fields.yml / agencies.yml when missing."""

    fields: dict[str, str] = field(default_factory=dict)  # slug -> name
    agencies: dict[str, dict[str, str]] = field(default_factory=dict)  # slug -> {name, address?}
    known_fields: dict[str, str] = field(default_factory=dict)  # folded name or slug -> slug in fields.yml
    known_agencies: dict[str, str] = field(default_factory=dict)

    def field_slug(self, name: str) -> str:
        return self.known_fields.get(fold(name)) or self.known_fields.get(slug(name)) or slug(name)[:60].strip("-")

    def agency_slug(self, name: str) -> str:
        return self.known_agencies.get(fold(name)) or self.known_agencies.get(slug(name)) or slug(name)[:60].strip("-")


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)
    new_agencies: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- small converters -------------------------------------------------------------------------------


def html_to_markdown(value: Any) -> str:
    """Portal text is HTML; our text is Markdown (raw HTML would only be shown as text)."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text and ">" in text:
        text = markdownify(text, heading_style="ATX", bullets="-", strip=["span", "font", "img", "script", "style"])
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _one_line(value: Any) -> str:
    return re.sub(r"\s+", " ", html_to_markdown(value).replace("**", "")).strip()


def _first(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in record and record[name] not in (None, "", []):
            return record[name]
    return None


def _names(value: Any, *keys: str) -> list[str]:
    """A list of names from a list of strings, a list of objects, or a ;-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;\n]", html_to_markdown(value)) if part.strip(" -")]
    result = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            text = _first(item, *keys, "name", "ten", "title")
            if text:
                result.append(_one_line(text))
        elif item not in (None, ""):
            result.append(_one_line(item))
    return result


def parse_date(value: Any) -> str:
    """YYYY-MM-DD from the portal's "20/11/2014", "20-11-2014", "2014-11-20T00:00:00" or a date cell."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = match.groups()
    else:
        match = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if not match:
            return ""
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def channel_of(text: str) -> str:
    folded = fold(text)
    for word, channel in CHANNEL_WORDS:
        if word in folded:
            return channel
    return ""


def authority_level_of(text: str, configured: dict[str, str]) -> str:
    folded = fold(text)
    for key, name in configured.items():
        if folded in (fold(key), fold(name)):
            return key
    for word, key in LEVEL_WORDS:
        if re.search(rf"\b{word}\b", folded) and key in configured:
            return key
    return ""


def parse_amount(text: str) -> int | None:
    """200000 from "200.000 đồng"; 0 from "Miễn phí"; None when the text is not a single sum."""
    folded = fold(text)
    if re.fullmatch(r"\s*(mien( phi| le phi)?|khong( thu)?|0)\s*(dong)?\.?\s*", folded):
        return 0
    match = re.fullmatch(r"\s*([\d.,\s]+)\s*(dong|d|vnd)?\s*(/.*)?\.?\s*", folded)
    if match:
        digits = re.sub(r"[.,\s]", "", match.group(1))
        if digits.isdigit():
            return int(digits)
    return None


def fee_of(kind_text: str, amount: Any, description: str = "") -> dict[str, Any]:
    kind = "charge" if fold(kind_text).strip() == "phi" else "fee"
    if isinstance(amount, (int, float)) and not isinstance(amount, bool):
        value: int | None = int(amount)
        text = ""
    else:
        text = _one_line(amount)
        value = parse_amount(text) if text else None
    fee: dict[str, Any] = {"kind": kind, "amount": value}
    if value is None:
        fee["text"] = text or _one_line(description) or "Theo quy định hiện hành"
    elif text and not re.fullmatch(r"[\d.,\s]+(đồng|đ|VNĐ)?\.?", text, flags=re.IGNORECASE):
        fee["text"] = text
    note = _one_line(description)
    if note and note != fee.get("text"):
        fee["note"] = note
    return fee


def split_steps(markdown: str) -> list[dict[str, str]]:
    """Steps from one block of text: a new step starts at each "Bước N"."""
    parts = [p.strip() for p in re.split(r"\n(?=\s*(?:[-*]\s*)?\**\s*Bước\s*\d)", "\n" + markdown) if p.strip()]
    steps = []
    for part in parts:
        clean = part.lstrip("-* ").replace("**", "", 2) if part.lstrip("-* ").startswith("**") else part.lstrip("-* ")
        first, _, rest = clean.partition("\n")
        match = re.match(r"(Bước\s*\d+)\s*[:.\-–]?\s*(.*)", first)
        if match:
            head, tail = match.group(1), match.group(2).strip(" *")
            title = f"{head}: {tail}" if tail and len(tail) <= 100 else head
            description = "\n\n".join(x for x in (tail if len(tail) > 100 else "", rest.strip()) if x)
        else:
            title, description = "Thực hiện", clean
        step = {"title": title.rstrip(".:; ")}
        if description.strip():
            step["description"] = description.strip()
        steps.append(step)
    return steps


# -- the portal's JSON record -----------------------------------------------------------------------


def _steps_from_portal(value: Any) -> list[dict[str, str]]:
    if isinstance(value, list):
        steps = []
        for index, item in enumerate(value, 1):
            if isinstance(item, dict):
                title = _one_line(_first(item, "title", "name", "stepName") or f"Bước {index}")
                description = html_to_markdown(_first(item, "content", "description", "detail"))
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
    """One national record (the portal's detail JSON) to our procedure data. See docs/nhap-du-lieu.md."""
    code = str(_first(record, "code", "procedureCode", "maThuTuc") or "").strip()
    title = _one_line(_first(record, "name", "procedureName", "tenThuTuc"))
    if not code or not title:
        raise ImportError_("bản ghi thiếu mã (code) hoặc tên thủ tục (name).")
    where = f"{code}"
    decision_number = _one_line(_first(record, "decisionNumber", "decision", "soQuyetDinh"))
    decision = decision_number if fold(decision_number).startswith("quyet dinh") else (
        f"Quyết định số {decision_number}" if decision_number else "")
    decision_date = parse_date(_first(record, "decisionDate", "ngayQuyetDinh"))
    if decision and decision_date:
        decision += f" ngày {dt.date.fromisoformat(decision_date).strftime('%d/%m/%Y')}"
    if not decision:
        decision = "Chưa có thông tin quyết định công bố trong bản ghi quốc gia"
        notes.append(f"{where}: bản ghi không có số quyết định công bố; hãy bổ sung trong tệp bổ sung địa phương.")

    categories = _names(_first(record, "categoriesDetails", "categories", "field", "linhVuc"))
    field_name = categories[0] if categories else "Chưa phân loại"
    field_slug = pending.field_slug(field_name)
    pending.fields.setdefault(field_slug, field_name)

    levels: list[str] = []
    for text in _names(_first(record, "implementationLevels", "implementationLevel", "capThucHien")):
        key = authority_level_of(text, configured_levels)
        if key and key not in levels:
            levels.append(key)
        elif not key:
            notes.append(f"{where}: bỏ qua cấp thực hiện “{text}” (không có trong cấu hình authority_levels).")
    if not levels:
        levels = [next(iter(configured_levels))]
        notes.append(f"{where}: không xác định được cấp thực hiện; tạm ghi “{levels[0]}”, hãy kiểm tra lại.")

    agencies: dict[str, list[str]] = {}
    address = _one_line(_first(record, "receivingAddress", "diaChiTiepNhan"))
    for role, keys in (
        ("implementing", ("departmentsExecuting", "implementingAgencies", "coQuanThucHien")),
        ("competent", ("competentAuthorities", "coQuanCoThamQuyen")),
        ("authorized", ("authorizedAgencies", "coQuanDuocUyQuyen")),
        ("coordinating", ("coordinatingAgencies", "coQuanPhoiHop")),
    ):
        for name in _names(_first(record, *keys)):
            agency_slug = pending.agency_slug(name)
            entry = pending.agencies.setdefault(agency_slug, {"name": name})
            if role == "implementing" and address and "address" not in entry:
                entry["address"] = address
            if agency_slug not in agencies.setdefault(role, []):
                agencies[role].append(agency_slug)
    if not agencies.get("implementing"):
        raise ImportError_(f"{where}: bản ghi không có cơ quan thực hiện (departmentsExecuting).")

    methods = []
    for item in _first(record, "executionMethods", "methods") or []:
        channel = channel_of(str(item.get("submissionMethod", "")))
        if not channel:
            notes.append(f"{where}: bỏ qua cách thức “{item.get('submissionMethod')}” (không rõ hình thức nộp).")
            continue
        fees = []
        raw_fees = item.get("fees")
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
            "processing_time": _one_line(item.get("processingTime")) or "Theo quy định",
            "fees": fees,
        }
        description = html_to_markdown(item.get("description"))
        if description:
            method["description"] = description
        methods.append(method)
    if not methods:
        raise ImportError_(f"{where}: bản ghi không có cách thức thực hiện (executionMethods).")

    forms: dict[str, dict[str, Any]] = {}
    cases = []
    for case in _first(record, "executionCases", "cases") or []:
        documents = []
        for component in case.get("profileComponents", []) or []:
            document: dict[str, Any] = {
                "name": _one_line(component.get("name")),
                "original": int(component.get("originalQty") or 0),
                "copy": int(component.get("copyQty") or 0),
            }
            for form in component.get("forms", component.get("form")) or []:
                form_title = _one_line(form.get("name") if isinstance(form, dict) else form)
                if not form_title:
                    continue
                form_id = slug(form_title)[:60].strip("-")
                forms.setdefault(form_id, {"id": form_id, "title": form_title, "files": []})
                document.setdefault("form", form_id)
            if document["name"]:
                documents.append(document)
        if documents:
            name = _one_line(case.get("name"))
            entry: dict[str, Any] = {"name": name} if name else {}
            entry["documents"] = documents
            cases.append(entry)
    if not cases:
        raise ImportError_(f"{where}: bản ghi không có thành phần hồ sơ (executionCases).")
    if len(cases) > 1:
        cases = [case if "name" in case else {"name": f"Trường hợp {i}", **case} for i, case in enumerate(cases, 1)]

    legal = []
    for item in _first(record, "legalBasisesDetails", "legalBasis") or []:
        number = _one_line(item.get("number", item.get("code")))
        entry = {
            "number": number or "Không rõ số",
            "title": _one_line(item.get("summary", item.get("title", item.get("name")))) or number,
            "issued": parse_date(item.get("issuedDate", item.get("issued"))),
            "issuer": _one_line(item.get("issuingAgency", item.get("issuer"))) or "Không rõ",
        }
        if not entry["issued"]:
            notes.append(f"{where}: văn bản “{number}” không có ngày ban hành hợp lệ; tạm ghi 1970-01-01, hãy sửa lại.")
            entry["issued"] = "1970-01-01"
        url = str(item.get("url") or "")
        if re.match(r"^https?://\S+$", url):
            entry["url"] = url
        legal.append(entry)
    if not legal:
        raise ImportError_(f"{where}: bản ghi không có căn cứ pháp lý (legalBasisesDetails).")

    channels = list(dict.fromkeys(m["channel"] for m in methods))
    data: dict[str, Any] = {
        "code": code,
        "title": title,
        "decision": decision,
        "field": field_slug,
        "level": 1,  # forms on the portal are links, not files: level 2 needs the files in content/forms
        "authority_levels": levels,
        "agencies": agencies,
        "subjects": _names(_first(record, "implementingSubjects", "subjects", "doiTuongThucHien")) or ["Tổ chức, cá nhân"],
        "steps": _steps_from_portal(_first(record, "executionSteps", "steps")) or [{"title": "Thực hiện theo quy định"}],
        "methods": methods,
        "processing_time": _one_line(_first(record, "processingTime")) or "; ".join(
            dict.fromkeys(m["processing_time"] for m in methods)),
        "dossier": {"quantity": int(_first(record, "profileQuantity", "soBoHoSo") or 1), "cases": cases},
        "result": _names(_first(record, "resultsDetails", "results", "ketQua")) or ["Theo quy định"],
        "requirements": html_to_markdown(_first(record, "requirementsAndConditions", "requirements")) or "Không",
        "receive_return": {"submit": channels, "return": [c for c in channels if c != "online"] or ["direct"]},
        "legal_basis": legal,
    }
    procedure_type = _one_line(_first(record, "procedureType", "loaiThuTuc"))
    if procedure_type:
        data["procedure_type"] = procedure_type
    if "online" in channels:
        data["online"] = "partial"
        data["online_url"] = PORTAL_URL.format(code=code)
    if forms:
        data["forms"] = list(forms.values())
    summary = _one_line(_first(record, "description", "summary", "moTa"))
    if summary:
        data["summary"] = summary[:400]
    keywords = _first(record, "keywords", "tuKhoa")
    if keywords:
        words = keywords if isinstance(keywords, list) else re.split(r"[,;]", str(keywords))
        data["keywords"] = list(dict.fromkeys(w.strip() for w in words if str(w).strip()))
    updated = parse_date(_first(record, "updatedDate", "lastUpdated"))
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
    }
    return record


def read_table(file: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX (first sheet) as {key: value}."""
    if file.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(file, read_only=True, data_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        text = file.read_text("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        rows = list(csv.reader(text.splitlines(keepends=True), dialect))
    if not rows:
        return []
    keys = [_column_key(h) for h in rows[0]]
    if "code" not in keys or "title" not in keys:
        raise ImportError_("dòng đầu của bảng phải có tên cột, ít nhất “Mã thủ tục” (code) và “Tên thủ tục” (title).")
    result = []
    for values in rows[1:]:
        if not any(v not in (None, "") for v in values):
            continue
        result.append({k: v for k, v in zip(keys, values, strict=False) if k})
    return result


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
        return records
    if suffix in (".csv", ".xlsx", ".tsv"):
        return [row_to_record(row) for row in read_table(file)]
    raise ImportError_(f"không nhận dạng được định dạng “{suffix}”: chỉ nhập .json, .csv hoặc .xlsx.")


# -- writing ----------------------------------------------------------------------------------------


def _append_site_list(file: Path, kind: str, entries: list[dict[str, str]]) -> None:
    """Append new entries at the end, keeping the editors' formatting and comments above."""
    from .editor_files import dump_yaml, schema_line

    if file.exists():
        text = file.read_text("utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
    else:
        text = schema_line(file, kind) + "\n"
    file.write_text(text + dump_yaml(entries), "utf-8")


def _site_names(file: Path) -> dict[str, str]:
    """{folded name or slug: slug} of a site list, to reuse existing entries instead of creating twins."""
    if not file.exists():
        return {}
    try:
        data = load_yaml_file(file, display_path(file)).data
    except YamlProblem:
        return {}
    names: dict[str, str] = {}
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and item.get("slug"):
            names[str(item["slug"])] = str(item["slug"])
            names.setdefault(fold(str(item.get("name", ""))), str(item["slug"]))
    return names


def is_imported_file(file: Path) -> bool:
    try:
        head = file.read_text("utf-8")[:600]
    except OSError:
        return False
    return IMPORT_MARKER in head


def import_files(files: list[Path], content_dir: Path, configured_levels: dict[str, str], *, force: bool = False,
                 level: int | None = None) -> ImportReport:
    report = ImportReport()
    fields_file, agencies_file = content_dir / "fields.yml", content_dir / "agencies.yml"
    pending = Pending(known_fields=_site_names(fields_file), known_agencies=_site_names(agencies_file))
    codes = existing_codes(content_dir)
    converted: list[tuple[dict[str, Any], str]] = []
    for file in files:
        try:
            records = read_records(file)
        except (ImportError_, OSError, UnicodeDecodeError, csv.Error) as error:
            report.skipped.append(f"{display_path(file)}: {error}")
            continue
        for index, record in enumerate(records, 1):
            try:
                data = convert_portal_record(record, configured_levels, pending, report.notes)
            except (ImportError_, AttributeError, TypeError, ValueError) as error:
                reason = str(error) if isinstance(error, ImportError_) else "bản ghi có cấu trúc không đúng như mô tả trong tài liệu."
                report.skipped.append(f"{display_path(file)} (bản ghi {index}): {reason}")
                continue
            wanted_level = level or record.get("_level")
            if wanted_level not in (None, ""):
                try:
                    data["level"] = max(1, min(4, int(wanted_level)))
                except (TypeError, ValueError):
                    report.notes.append(f"{data['code']}: mức độ “{wanted_level}” không hợp lệ; giữ mức 1.")
            converted.append((data, file.name))

    known_fields, known_agencies = set(pending.known_fields.values()), set(pending.known_agencies.values())
    used_fields = {d["field"] for d, _ in converted}
    used_agencies = {s for d, _ in converted for slugs in d["agencies"].values() for s in slugs}
    new_fields = [{"slug": s, "name": n} for s, n in pending.fields.items() if s in used_fields and s not in known_fields]
    new_agencies = [{"slug": s, **e} for s, e in pending.agencies.items() if s in used_agencies and s not in known_agencies]

    for data, source in converted:
        code = data["code"]
        target = codes.get(code) or procedure_path(content_dir, data["field"], code, data["title"])
        existed = target.exists()
        if existed and not force and not is_imported_file(target):
            report.skipped.append(
                f"{code}: tệp {display_path(target)} do biên tập viên viết tay, không ghi đè "
                "(dùng --force nếu muốn thay bằng bản quốc gia; phần sửa riêng nên để trong content/overlays/)."
            )
            continue
        header = [
            f"{IMPORT_MARKER} {source} (bản ghi thủ tục quốc gia). Đừng sửa tệp này: lần nhập sau sẽ ghi đè.",
            f"Thông tin riêng của địa phương (phí, địa chỉ, cơ quan, biểu mẫu…) ghi vào content/{OVERLAY_DIR}/{code}.yml.",
        ]
        write_yaml(target, ordered(data), header)
        (report.updated if existed else report.written).append(target)
    if new_fields and converted:
        _append_site_list(fields_file, "fields", new_fields)
        report.new_fields = [f"{e['slug']} ({e['name']})" for e in new_fields]
    if new_agencies and converted:
        _append_site_list(agencies_file, "agencies", new_agencies)
        report.new_agencies = [f"{e['slug']} ({e['name']})" for e in new_agencies]
    return report
