"""What an import says about procedures over time: a national record's status and abolishing decision,
its date of entry into force, and the procedures a later import no longer has (never deleted silently)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..vi.text import fold

_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def _date(value: Any) -> str:
    """dd/mm/yyyy, yyyy-mm-dd (or a decision's "ngày 04/9/2020") as YYYY-MM-DD, or ""."""
    found = _DATE.search(str(value or ""))
    if not found:
        return ""
    if found[1]:
        day, month, year = int(found[1]), int(found[2]), int(found[3])
    else:
        year, month, day = int(found[4]), int(found[5]), int(found[6])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def lifecycle_of(record: dict[str, Any], get, plain_text, where: str, notes: list[str], inactive: bool) -> dict[str, Any]:
    """Lifecycle keys for a converted record (get(record, *keys) reads the first present key); inactive: its
    status (TRANGTHAI) says it is no longer in force.

    An inactive record without an abolishing decision gives no abolition (the caller refuses it: a procedure
    never published needs no notice). Raises ValueError for an abolition without its date or decision: an
    abolition date is never made up."""
    data: dict[str, Any] = {}
    effective = _date(get(record, "NGAYHIEULUC", "NGAYCOHIEULUC", "HIEULUCTU"))
    if effective:
        data["effective_from"] = effective
    decision = plain_text(get(record, "QUYETDINHBAIBO", "QDBAIBO", "SOQUYETDINHBAIBO"))
    dated = _date(get(record, "NGAYBAIBO", "NGAYHETHIEULUC"))
    if not decision and not (inactive and dated):
        return data
    if decision and not fold(decision).startswith("quyet dinh"):
        decision = f"Quyết định số {decision}"
    date = dated or _date(decision)
    if not date or not decision:
        raise ValueError("bản ghi ghi thủ tục đã bãi bỏ nhưng thiếu " + ("ngày bãi bỏ (NGAYBAIBO)" if not date else
                         "quyết định bãi bỏ (QUYETDINHBAIBO)") + "; không đoán ngày hay quyết định.")
    abolished: dict[str, Any] = {"date": date, "decision": decision}
    replaced = [code for item in (get(record, "TTHCTHAYTHE", "THAYTHEBOI") or [])
                for code in re.split(r"[;,\s]+", plain_text(item.get("MATTHC") if isinstance(item, dict) else item)) if code]
    if isinstance(get(record, "TTHCTHAYTHE", "THAYTHEBOI"), str):
        replaced = [c for c in re.split(r"[;,\s]+", get(record, "TTHCTHAYTHE", "THAYTHEBOI")) if c]
    if replaced:
        abolished["replaced_by"] = list(dict.fromkeys(replaced))
    data.update(status="abolished", abolished=abolished)
    notes.append(f"{where}: thủ tục đã bãi bỏ từ {date} ({decision}); trang giữ địa chỉ và thành trang thông báo.")
    return data


def missing_from_import(content_dir: Path, sources: set[str], imported: set[str], marker: str) -> list[str]:
    """Lines naming procedures imported earlier from one of these source files that this import lacks.

    They are never deleted (a deleted file is a 404 for everyone who kept the address): the line says how
    to mark the procedure abolished instead."""
    from ..content.editor_files import existing_codes
    from ..content.problems import display_path

    lines = []
    for code, file in sorted(existing_codes(content_dir).items()):
        if code in imported:
            continue
        try:
            head = file.read_text("utf-8", errors="replace")[:600]
        except OSError:
            continue
        found = re.search(re.escape(marker) + r" (.+?) \(", head)
        if not found or found[1] not in sources or re.search(r"^status:\s*abolished", file.read_text("utf-8", errors="replace"),
                                                             re.MULTILINE):
            continue
        lines.append(f"{code} ({display_path(file)}, nhập từ {found[1]}) không còn trong lần nhập này; tệp được giữ nguyên. "
                     "Nếu thủ tục đã bị bãi bỏ: ghi status: abolished và abolished: {date, decision, replaced_by} vào "
                     f"content/overlays/{code}.yml (không xóa tệp: địa chỉ đã công bố phải còn).")
    return lines
