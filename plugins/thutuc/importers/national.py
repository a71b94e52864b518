"""The national procedure database's own record format (the one provincial one-stop systems receive):
upper-case keys (MATTHC, TENTTHC, CACHTHUCTHUCHIEN…), also written in camel case by officers (MaTTHC,
TenTTHC, CoQuanThucHien [{TenDonVi}]). Keys are matched without regard to case, spaces or "_".

Faithful by rule: every fact of the record is kept somewhere a reader sees it, and none is made up.
- A missing optional fact (decision, a legal document's date or issuer) is left out of the file; the
  page then says "Chưa có thông tin", and the import notes it (and counts it, see count_unknown).
- A sum the record gives only in words, several sums in one text, or "0" beside a described sum stays
  text with `amount: null`; nothing is collapsed into one number.
- A missing required fact (steps, channels and their times, fees, documents and their counts, result,
  legal basis, subjects, field, authority level) refuses the record with the reason.
The mapping, field by field, is in docs/nhap-du-lieu.md.
"""

from __future__ import annotations

import re
from typing import Any

from ..vi.text import fold, shorten, slug
from .lifecycle import lifecycle_of
from .records import (
    PORTAL_URL,
    ImportError_,
    Pending,
    authority_levels_of,
    channel_of,
    fee_of,
    html_to_markdown,
    parse_amount,
    parse_date,
    plain_text,
    says_free,
    split_steps,
)

KEY_MARKERS = ("MATTHC", "TENTTHC")
CHANNEL_CODES = {"1": "direct", "2": "online", "3": "postal"}
CHANNEL_NAMES = {"direct": "trực tiếp", "online": "trực tuyến", "postal": "bưu chính công ích"}
AGENCY_ROLES = (
    ("implementing", "COQUANTHUCHIEN"),
    ("competent", "COQUANCOTHAMQUYEN"),
    ("authorized", "COQUANDUOCUYQUYEN"),
    ("coordinating", "COQUANPHOIHOP"),
)
UNKNOWN = "chưa có thông tin"
SUMMARY_MAX = 400  # the schema's limit for summary: a longer MOTA is kept whole in overview
# Where records carry the number of dossier sets ("Số lượng hồ sơ"); absent: unknown, never a made-up "1 bộ".
QUANTITY_KEYS = ("SOBOHOSO", "SOLUONGHOSO", "SOLUONGBOHOSO")
_MAX_DEPTH = 12  # the format nests four levels; more is not this format (and would be slow to walk)


def _key(name: Any) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).upper()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def normalize_keys(value: Any, depth: int = 0) -> Any:
    """The record with every key upper-cased and without "_", "-" or spaces (MaTTHC, Ma_TTHC -> MATTHC).

    Two keys that differ only in case are one key: when both carry different values the record is
    ambiguous and refused, rather than one value silently winning.
    """
    if depth > _MAX_DEPTH:
        raise ImportError_("bản ghi lồng nhau quá sâu, không phải định dạng bản ghi thủ tục quốc gia.")
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            name, item = _key(key), normalize_keys(item, depth + 1)
            if name in result and not _empty(result[name]) and not _empty(item) and result[name] != item:
                raise ImportError_(f"khóa “{plain_text(key)}” xuất hiện hai lần (khác chữ hoa, chữ thường) với hai giá trị "
                                   "khác nhau; giữ lại một.")
            if name not in result or _empty(result[name]):
                result[name] = item
        return result
    if isinstance(value, list):
        return [normalize_keys(item, depth + 1) for item in value]
    return value


def is_national_record(record: dict[str, Any]) -> bool:
    return any(_key(key) in KEY_MARKERS for key in record)


def _items(value: Any) -> list[Any]:
    """A list field, also when an export wrote one object or a single value instead of a list."""
    if _empty(value):
        return []
    return [item for item in (value if isinstance(value, list) else [value]) if not _empty(item)]


def _get(item: Any, *keys: str) -> Any:
    if not isinstance(item, dict):
        return None
    for key in keys:
        if not _empty(item.get(key)):
            return item[key]
    return None


def _names(value: Any, *keys: str) -> list[str]:
    """Names from [{KEY: name}], [name] or "a; b"."""
    names: list[str] = []
    for item in _items(value):
        if isinstance(item, str) and not isinstance(value, list):
            parts = [plain_text(p) for p in re.split(r"[;\n]", item)]
        else:
            parts = [plain_text(_get(item, *keys) if isinstance(item, dict) else item)]
        names.extend(p for p in parts if p and p not in names)
    return names


def _count(value: Any) -> int | None:
    """A number of copies from 1, "1", "01" or "1.0"; None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value >= 0 and float(value).is_integer() else None
    text = plain_text(value)
    match = re.fullmatch(r"0*(\d+)(?:[.,]0+)?", text)
    return int(match.group(1)) if match else None


def _number(value: Any) -> str:
    """A duration as written for people: 5, 0,5 (decimal comma); "" when it is not a positive number."""
    text = plain_text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return ""
    if number <= 0:
        return ""
    return str(int(number)) if number.is_integer() else f"{number:g}".replace(".", ",")


def _date_vi(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _url(value: Any) -> str:
    text = plain_text(value)
    return text if re.fullmatch(r"https?://[^\s<>\"]+", text) and len(text) <= 2000 else ""


# -- parts of the record ----------------------------------------------------------------------------


def dossier_quantity(value: Any) -> int | None:
    """The number of dossier sets a record gives ("2", 2, "02 bộ"), or None when it gives none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    match = re.match(r"\s*0*([1-9][0-9]{0,2})\b", plain_text(value) if value is not None else "")
    return int(match.group(1)) if match else None


def dossier_data(quantity_value: Any, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """The dossier of a converted record: its cases, and the quantity only when the record gave one."""
    quantity = dossier_quantity(quantity_value)
    return {"quantity": quantity, "cases": cases} if quantity else {"cases": cases}


def _steps(value: Any) -> list[dict[str, str]]:
    """TRINHTUTHUCHIEN [{TRUONGHOP, TRINHTU [{TENTRINHTU}]}] to our flat list of steps.

    Our steps have no cases, so a step of a named case carries the case in its title
    ("Trường hợp …: Bước 1: …"): the page lists every case's steps in order and a reader sees which
    case each belongs to. An export that wrote the steps as one HTML text is split at each "Bước N".
    """
    if isinstance(value, str):
        return split_steps(html_to_markdown(value))
    steps: list[dict[str, str]] = []
    for case in _items(value):
        case_name = plain_text(_get(case, "TRUONGHOP")) if isinstance(case, dict) else ""
        entries = _items(_get(case, "TRINHTU")) if isinstance(case, dict) else [case]
        if isinstance(case, dict) and not entries and _get(case, "TENTRINHTU"):
            entries = [case]  # a flat list of steps without cases
        for index, entry in enumerate(entries, 1):
            text = html_to_markdown(_get(entry, "TENTRINHTU", "NOIDUNG", "MOTA") if isinstance(entry, dict) else entry)
            if not text:
                continue
            if re.match(r"^\W*Bước\s*\d", text):
                parts = split_steps(text)
            elif "\n" not in text and len(text) <= 120:
                parts = [{"title": text.rstrip(".;: ")}]
            else:
                parts = [{"title": f"Bước {index}", "description": text}]
            for part in parts:
                if case_name:
                    part["title"] = f"{case_name}: {part['title']}"
                steps.append(part)
    if not steps:
        raise ImportError_("bản ghi không có trình tự thực hiện (TRINHTUTHUCHIEN).")
    return steps


def _time_text(entry: dict[str, Any], where: str, channel: str, notes: list[str]) -> str:
    """THOIGIAN {THOIGIANGIAIQUYET, DONVITINH, MOTA} as one sentence: "10 ngày làm việc (kể từ …)"."""
    amount, unit = _number(_get(entry, "THOIGIANGIAIQUYET")), plain_text(_get(entry, "DONVITINH"))
    description = plain_text(_get(entry, "MOTA"))
    if amount and unit:
        time = f"{amount} {unit[:1].lower()}{unit[1:]}"
    elif amount:
        time = f"{amount} (chưa có thông tin đơn vị tính)"
        notes.append(f"{where}: cách thức {CHANNEL_NAMES[channel]}: thời hạn {amount} {UNKNOWN} đơn vị tính (DONVITINH).")
    else:
        return description
    return f"{time} ({description})" if description else time


def _fee_kind(item: dict[str, Any]) -> str:
    """fee (Lệ phí) or charge (Phí) from MAPHILEPHI / TENPHILEPHI / LOAIPHILEPHI, else from the text."""
    for key in ("MAPHILEPHI", "TENPHILEPHI", "LOAIPHILEPHI", "LOAIPHI"):
        folded = fold(plain_text(item.get(key))).strip(" .:")
        if folded in ("le phi", "lp") or folded.startswith("le phi"):
            return "fee"
        if folded in ("phi", "ph") or re.match(r"phi\b", folded):
            return "charge"
    folded = fold(plain_text(item.get("MOTA")))
    if re.match(r"\W*le phi\b", folded):
        return "fee"
    if re.match(r"\W*phi\b", folded):
        return "charge"
    return ""


def _fee(item: Any, channel: str) -> dict[str, Any] | None:
    """PHILEPHI {MAPHILEPHI, SOTIEN, DONVI, MOTA, TENTEP, URL} to one fee; None for a bare 0 of unknown kind."""
    if not isinstance(item, dict):
        item = {"SOTIEN": item}
    label = f"cách thức {CHANNEL_NAMES[channel]}"
    raw, unit, description = item.get("SOTIEN"), plain_text(item.get("DONVI")), plain_text(item.get("MOTA"))
    currency = not unit or fold(unit).strip(" .") in ("dong", "d", "vnd", "vn dong", "dong viet nam")
    amount: Any = raw
    if not currency and not _empty(raw):
        # "0,5 %", "10 USD": not a sum of đồng; kept as written.
        amount = f"{plain_text(raw)} {unit}"
    per_unit = re.match(r"^(đồng|VNĐ|VND|đ)\s*/\s*(\S.*)$", description, flags=re.IGNORECASE)
    if per_unit:
        # MOTA "Đồng/hợp đồng" is the unit of SOTIEN, not a description of the fee.
        description = f"Đơn vị tính: đồng/{per_unit.group(2)}"
    kind = _fee_kind(item)
    paper = " ".join(x for x in (plain_text(item.get("TENTEP")), _url(item.get("URL"))) if x)
    if not kind:
        value = raw if isinstance(raw, (int, float)) else parse_amount(plain_text(raw)) if not _empty(raw) else None
        if value == 0 and (not description or says_free(description)) and not paper:
            return None  # "0" with nothing else: no fee to show, whichever kind it would have been
        raise ImportError_(f"{label}: không rõ khoản thu là phí hay lệ phí (MAPHILEPHI “{plain_text(item.get('MAPHILEPHI'))}”); "
                           "ghi “Phí” hoặc “Lệ phí”.")
    try:
        fee = fee_of("phi" if kind == "charge" else "le phi", None if _empty(amount) else amount, description)
    except ImportError_ as error:
        raise ImportError_(f"{label}: {error}") from None
    if paper:
        fee["note"] = (fee["note"] + ". " if fee.get("note") else "") + f"Văn bản quy định mức thu: {paper}"
    return fee


def _methods(value: Any, where: str, address: str, notes: list[str]) -> list[dict[str, Any]]:
    """CACHTHUCTHUCHIEN [{KENH, THOIGIAN [{THOIGIANGIAIQUYET, DONVITINH, MOTA, PHILEPHI [...]}]}]."""
    methods = []
    for item in _items(value):
        raw_channel = plain_text(_get(item, "KENH", "TENKENH"))
        channel = CHANNEL_CODES.get(raw_channel) or channel_of(raw_channel)
        if not channel:
            raise ImportError_(f"không nhận ra kênh “{raw_channel}” của cách thức thực hiện "
                               "(KENH: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích).")
        times, fees = [], []
        entries = [e for e in _items(_get(item, "THOIGIAN")) if isinstance(e, dict)]
        has_fee_list = any("PHILEPHI" in e for e in entries) or "PHILEPHI" in item
        per_time: list[tuple[str, list[dict[str, Any]]]] = []
        for entry in entries:
            time = _time_text(entry, where, channel, notes)
            if time and time not in times:
                times.append(time)
            entry_fees = [_fee(f, channel) for f in _items(entry.get("PHILEPHI"))]
            per_time.append((plain_text(entry.get("MOTA")), [f for f in entry_fees if f is not None]))
        differ = any(entry_fees != per_time[0][1] for _, entry_fees in per_time)
        for context, entry_fees in per_time:
            for fee in entry_fees:
                if differ and context:
                    # Fees that differ between the times of one channel say which time they go with.
                    fee["note"] = (fee["note"] + ". " if fee.get("note") else "") + f"Áp dụng: {context}"
                if fee not in fees:
                    fees.append(fee)
        for fee in _items(item.get("PHILEPHI")):  # some exports put the fees beside THOIGIAN
            converted = _fee(fee, channel)
            if converted is not None and converted not in fees:
                fees.append(converted)
        if not times:
            raise ImportError_(f"cách thức {CHANNEL_NAMES[channel]} không có thời hạn giải quyết (THOIGIAN).")
        if not has_fee_list:
            raise ImportError_(f"cách thức {CHANNEL_NAMES[channel]} không có thông tin phí, lệ phí (PHILEPHI); "
                               "ghi PHILEPHI: [] nếu không mất phí.")
        # A bare 0 says "free": left out, so the page says "Không mất phí, lệ phí" or lists only real fees.
        fees = [f for f in fees if not (f["amount"] == 0 and set(f) == {"kind", "amount"})]
        method: dict[str, Any] = {"channel": channel, "processing_time": "; ".join(times), "fees": fees}
        description = html_to_markdown(_get(item, "MOTA"))
        if channel == "direct" and address:
            description = "\n\n".join(x for x in (description, f"Nơi tiếp nhận: {address}") if x)
        if description:
            method["description"] = description
        methods.append(method)
    if not methods:
        raise ImportError_("bản ghi không có cách thức thực hiện (CACHTHUCTHUCHIEN).")
    if address and "direct" not in [m["channel"] for m in methods]:
        first = methods[0]
        first["description"] = "\n\n".join(x for x in (first.get("description", ""), f"Nơi tiếp nhận: {address}") if x)
    return methods


def _dossier(value: Any, where: str, notes: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """THANHPHANHOSO [{TRUONGHOP, GIAYTO [...]}] to (cases, forms). A form is TENMAUDON at URL: recorded
    with the URL as its source and no file (nothing is downloaded; level 1 allows forms without files)."""
    forms: dict[str, dict[str, Any]] = {}
    cases: list[dict[str, Any]] = []
    for case in _items(value):
        if not isinstance(case, dict):
            continue
        name = plain_text(case.get("TRUONGHOP"))
        documents = []
        for paper in _items(case.get("GIAYTO")):
            if not isinstance(paper, dict):
                paper = {"TENGIAYTO": paper}
            title = plain_text(paper.get("TENGIAYTO"))
            if not title:
                raise ImportError_("một giấy tờ trong thành phần hồ sơ không có tên (TENGIAYTO).")
            original, copy = _count(paper.get("SOBANCHINH")), _count(paper.get("SOBANSAO"))
            if original is None or copy is None:
                raise ImportError_(f"giấy tờ “{shorten(title, 80)}” không ghi rõ số bản chính (SOBANCHINH) "
                                   "và số bản sao (SOBANSAO); ghi 0 nếu không cần.")
            document: dict[str, Any] = {"name": title, "original": original, "copy": copy}
            form_name, form_url = plain_text(paper.get("TENMAUDON")), _url(paper.get("URL"))
            if plain_text(paper.get("URL")) and not form_url:
                notes.append(f"{where}: bỏ địa chỉ mẫu đơn “{shorten(plain_text(paper.get('URL')), 80)}” (không phải http/https).")
            if form_name or form_url:
                form_title = form_name or title
                form_id = slug(re.sub(r"\.(docx?|odt|pdf|rtf|xlsx?)$", "", form_title, flags=re.IGNORECASE))[:60].strip("-")
                form = forms.setdefault(form_id, {"id": form_id or f"mau-{len(forms) + 1}", "title": form_title, "files": []})
                if form_url and "source" not in form:
                    form["source"] = form_url
                document["form"] = form["id"]
            replacement = plain_text(paper.get("MAKQTHAYTHE"))
            if replacement:
                document["note"] = f"Có thể thay bằng kết quả giải quyết thủ tục hành chính mã {replacement}."
            documents.append(document)
        if not documents:
            if name:
                notes.append(f"{where}: trường hợp “{shorten(name, 80)}” không có giấy tờ nào; không đưa vào thành phần hồ sơ.")
            continue
        entry: dict[str, Any] = {"name": name} if name else {}
        entry["documents"] = documents
        cases.append(entry)
    if not cases:
        raise ImportError_("bản ghi không có thành phần hồ sơ (THANHPHANHOSO).")
    if len(cases) > 1 and any("name" not in c for c in cases):
        # Two cases need names on the page; the record gives none, so they are numbered, not named.
        cases = [c if "name" in c else {"name": f"Trường hợp {i}", **c} for i, c in enumerate(cases, 1)]
        notes.append(f"{where}: thành phần hồ sơ có nhiều trường hợp không tên (TRUONGHOP); đã đánh số “Trường hợp N”.")
    return cases, list(forms.values())


def _results(value: Any) -> list[str]:
    """KETQUATHUCHIEN [{MAKETQUA, TENKETQUA, TENTEP, URL}]: a sample of the result is kept as its link."""
    results = []
    for item in _items(value):
        name = plain_text(_get(item, "TENKETQUA") if isinstance(item, dict) else item)
        if not name:
            continue
        sample = _url(_get(item, "URL")) if isinstance(item, dict) else ""
        if sample:
            file_name = plain_text(_get(item, "TENTEP"))
            name += f" (mẫu kết quả{' ' + file_name if file_name else ''}: {sample})"
        if name not in results:
            results.append(name)
    if not results:
        raise ImportError_("bản ghi không có kết quả thực hiện (KETQUATHUCHIEN).")
    return results


def _legal_basis(value: Any, where: str, notes: list[str]) -> list[dict[str, str]]:
    """CANCUPHAPLY [{SOVANBAN, TENVANBAN, NGAYBANHANH dd/mm/yyyy, COQUANBANHANH, NGAYHIEULUC, DIACHITRUYCAP}]."""
    legal = []
    for item in _items(value):
        if not isinstance(item, dict):
            item = {"TENVANBAN": item}
        number, title = plain_text(item.get("SOVANBAN")), plain_text(item.get("TENVANBAN"))
        if not number:
            raise ImportError_(f"văn bản căn cứ pháp lý “{shorten(title, 80)}” không có số ký hiệu (SOVANBAN).")
        effective_raw = plain_text(item.get("NGAYHIEULUC"))
        effective = parse_date(item.get("NGAYHIEULUC"))
        title = title or number
        if effective_raw:
            # Our model has no effective date: it stays visible beside the title.
            title += f" (hiệu lực từ ngày {_date_vi(effective) if effective else effective_raw})"
        entry = {"number": number, "title": title}
        raw_date = plain_text(item.get("NGAYBANHANH"))
        issued = parse_date(item.get("NGAYBANHANH"))
        if issued:
            entry["issued"] = issued
        else:
            shown = f" (ghi “{shorten(raw_date, 40)}”, không phải ngày hợp lệ)" if raw_date else ""
            notes.append(f"{where}: văn bản “{number}”: {UNKNOWN} ngày ban hành{shown}.")
        issuer = plain_text(item.get("COQUANBANHANH"))
        if issuer:
            entry["issuer"] = issuer
        else:
            notes.append(f"{where}: văn bản “{number}”: {UNKNOWN} cơ quan ban hành.")
        url = _url(item.get("DIACHITRUYCAP"))
        if url:
            entry["url"] = url
        elif plain_text(item.get("DIACHITRUYCAP")):
            notes.append(f"{where}: bỏ địa chỉ văn bản “{number}” (không phải http/https).")
        legal.append(entry)
    if not legal:
        raise ImportError_("bản ghi không có căn cứ pháp lý (CANCUPHAPLY).")
    return legal


def _inactive(status: Any) -> bool:
    """TRANGTHAI of a procedure no longer in force (1 is "công khai"/in force in the national database)."""
    text = fold(plain_text(status))
    if not text:
        return False
    if re.fullmatch(r"\d+", text):
        return text != "1"
    return bool(re.search(r"het hieu luc|bai bo|huy bo|ngung|khong (con )?ap dung", text))


# -- the record -------------------------------------------------------------------------------------


def convert_national_record(raw: dict[str, Any], configured_levels: dict[str, str], pending: Pending,
                            notes: list[str]) -> dict[str, Any]:
    """One record of the national procedure database to our procedure data (see the module's rules)."""
    record = normalize_keys(raw)
    code, title = plain_text(record.get("MATTHC")), plain_text(record.get("TENTTHC"))
    if not code or not title:
        raise ImportError_("bản ghi thiếu mã thủ tục (MATTHC) hoặc tên thủ tục (TENTTHC).")
    where = code
    inactive = _inactive(record.get("TRANGTHAI"))
    try:  # status, abolishing decision, entry into force (import_lifecycle.py)
        lifecycle = lifecycle_of(record, _get, plain_text, where, notes, inactive)
    except ValueError as error:
        raise ImportError_(str(error)) from None
    if inactive and not lifecycle.get("abolished"):
        raise ImportError_(f"thủ tục có trạng thái “{plain_text(record.get('TRANGTHAI'))}” (TRANGTHAI), không còn "
                           "áp dụng và không ghi quyết định bãi bỏ (QUYETDINHBAIBO); không nhập.")

    fields = _names(record.get("LINHVUCTHUCHIEN"), "TENLINHVUC")
    if not fields:
        raise ImportError_("bản ghi không có lĩnh vực (LINHVUCTHUCHIEN).")
    field_slug = pending.field_slug(fields[0])
    pending.fields.setdefault(field_slug, fields[0])
    keywords = [plain_text(k) for k in (record["TUKHOA"] if isinstance(record.get("TUKHOA"), list)
                                        else re.split(r"[,;]", str(record.get("TUKHOA") or "")))]
    if len(fields) > 1:
        # One field per procedure in our model: the others stay searchable as keywords.
        keywords += fields[1:]
        notes.append(f"{where}: thủ tục thuộc nhiều lĩnh vực; xếp vào “{fields[0]}”, các lĩnh vực khác ghi thành từ khóa.")

    levels = authority_levels_of(_names(record.get("CAPTHUCHIEN"), "TENCAP", "CAPTHUCHIEN"), configured_levels, where, notes,
                                 "CAPTHUCHIEN")

    address = plain_text(record.get("DIACHITIEPNHAN"))
    agencies: dict[str, list[str]] = {}
    for role, key in AGENCY_ROLES:
        for name in _names(record.get(key), "TENDONVI", "TENCOQUAN"):
            pending.add_agency(agencies, role, name, address)
    if not agencies.get("implementing"):
        raise ImportError_("bản ghi không có cơ quan thực hiện (COQUANTHUCHIEN).")

    subjects = _names(record.get("DOITUONGTHUCHIEN"), "TENDOITUONG")
    subject_text = plain_text(record.get("MOTADOITUONGTHUCHIEN"))
    if subject_text and subject_text not in subjects:
        subjects.append(subject_text)
    if not subjects:
        raise ImportError_("bản ghi không có đối tượng thực hiện (DOITUONGTHUCHIEN).")

    methods = _methods(record.get("CACHTHUCTHUCHIEN"), where, address, notes)
    cases, forms = _dossier(record.get("THANHPHANHOSO"), where, notes)
    channels = list(dict.fromkeys(m["channel"] for m in methods))
    data: dict[str, Any] = {
        "code": code,
        "title": title,
        "field": field_slug,
        "level": 1,  # forms on the national database are links, not files: level 2 needs files in content/forms
        "authority_levels": levels,
        "agencies": agencies,
        "subjects": subjects,
        "steps": _steps(record.get("TRINHTUTHUCHIEN")),
        "methods": methods,
        "processing_time": "; ".join(dict.fromkeys(m["processing_time"] for m in methods)),
        "dossier": dossier_data(_get(record, *QUANTITY_KEYS), cases),
        "result": _results(record.get("KETQUATHUCHIEN")),
        # The national database leaves YEUCAU empty when a procedure has no requirement; our model says "Không".
        "requirements": html_to_markdown(record.get("YEUCAU")) or "Không",
        "receive_return": {"submit": channels, "return": [c for c in channels if c != "online"] or ["direct"]},
        "legal_basis": _legal_basis(record.get("CANCUPHAPLY"), where, notes),
    }
    decision = plain_text(_get(record, "QUYETDINH", "QUYETDINHCONGBO", "SOQUYETDINH"))
    if decision:
        data["decision"] = decision if fold(decision).startswith("quyet dinh") else f"Quyết định số {decision}"
    else:
        notes.append(f"{where}: {UNKNOWN} quyết định công bố (bản ghi không ghi); bổ sung decision trong "
                     f"content/overlays/{code}.yml.")
    data.update(lifecycle)
    procedure_type = plain_text(record.get("LOAITTHC"))
    if procedure_type and not procedure_type.isdigit():
        data["procedure_type"] = procedure_type
    elif procedure_type:
        notes.append(f"{where}: loại thủ tục chỉ có mã “{procedure_type}” (LOAITTHC), không có tên; không ghi.")
    if "online" in channels:
        data["online"] = "partial"
        data["online_url"] = PORTAL_URL.format(code=code)
    if forms:
        data["forms"] = forms
    summary = plain_text(record.get("MOTA"))
    if summary:
        data["summary"] = shorten(summary, SUMMARY_MAX)
        if len(summary) > SUMMARY_MAX:
            # Every word is kept: the page shows the whole text (overview), search and Google the short form.
            data["overview"] = html_to_markdown(record.get("MOTA")) or summary
            notes.append(f"{where}: mô tả (MOTA) dài hơn {SUMMARY_MAX} ký tự: giữ nguyên văn trong overview (hiện trên "
                         "trang), summary là bản rút gọn.")
    keywords = [k for k in dict.fromkeys(keywords) if k]
    if keywords:
        data["keywords"] = keywords
    related = [part for item in _items(record.get("TTHCLIENQUAN"))
               for part in re.split(r"[;,\s]+", plain_text(_get(item, "MATTHC") if isinstance(item, dict) else item))]
    related = [r for r in dict.fromkeys(related) if r and r != code]
    if related:
        data["related"] = related
    return data


def keep_known_related(converted: list[dict[str, Any]], known_codes: set[str], notes: list[str]) -> None:
    """`related` codes must exist in the catalogue: keep those of this import or of the site, note the rest."""
    codes = known_codes | {data["code"] for data in converted}
    for data in converted:
        related = data.get("related")
        if not related:
            continue
        missing = [code for code in related if code not in codes]
        if missing:
            notes.append(f"{data['code']}: thủ tục liên quan {', '.join(missing)} chưa có trong danh mục; chưa ghi "
                         "(nhập các thủ tục đó rồi nhập lại thủ tục này).")
        kept = [code for code in related if code in codes]
        if kept:
            data["related"] = kept
        else:
            del data["related"]


def count_unknown(data: dict[str, Any]) -> int:
    """How many values of one converted procedure are marked unknown: a missing decision, a legal
    document's missing date or issuer, a fee whose sum is only described (amount null), a time without unit."""
    count = 0 if data.get("decision") else 1
    for document in data.get("legal_basis", []):
        count += ("issued" not in document) + ("issuer" not in document)
    for method in data.get("methods", []):
        count += sum(1 for fee in method.get("fees", []) if fee.get("amount") is None)
        count += UNKNOWN in str(method.get("processing_time", ""))
    return count
