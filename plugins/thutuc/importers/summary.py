"""The Vietnamese summary printed at the end of `build.py import`.

Editors read it to know what to review: what was imported, what was skipped and why (file, record or
row, code, reason), which site-list entries were added, which hand-edited files were kept, and how
many values the records did not give (marked unknown, to be completed in an overlay).
"""

from __future__ import annotations

from typing import Any

from .national import count_unknown as converter_count


def count_unknown(data: Any) -> int:
    """How many values of one converted procedure are marked unknown ("Chưa có thông tin").

    The converter knows its own markers (national.count_unknown).
    """
    return int(converter_count(data))


def summary_lines(report: Any) -> list[str]:
    """The summary block of an ImportReport (importer.py), one line each."""
    imported = len(report.written) + len(report.updated)
    lines = ["Tóm tắt lần nhập:",
             f"- Đã nhập: {imported} thủ tục ({len(report.written)} tệp mới, {len(report.updated)} tệp cập nhật)."]
    kept = getattr(report, "kept", [])
    lines.append(f"- Bỏ qua: {len(report.skipped)} (lý do từng mục ở trên, dòng “Bỏ qua:”)."
                 if report.skipped else "- Bỏ qua: 0.")
    if kept:
        from ..content.problems import display_path

        lines.append(f"- Giữ nguyên vì đã sửa tay sau lần nhập trước: {len(kept)} tệp ("
                     + ", ".join(display_path(p) for p in kept) + "; dùng --force để ghi đè).")
    lines.append(f"- Lĩnh vực thêm mới: {len(report.new_fields)}"
                 + (": " + ", ".join(report.new_fields) if report.new_fields else "") + ".")
    lines.append(f"- Cơ quan thêm mới: {len(report.new_agencies)}"
                 + (": " + ", ".join(report.new_agencies) if report.new_agencies else "") + ".")
    missing = getattr(report, "missing", [])
    if missing:
        lines.append(f"- Không còn trong lần nhập này (đã nhập trước đây, tệp được giữ nguyên): {len(missing)}; "
                     "xem dòng “Không còn:” ở trên, ghi status: abolished nếu thủ tục đã bãi bỏ.")
    unknown = getattr(report, "unknown_values", 0)
    lines.append(f"- Thông tin bản ghi không có, được đánh dấu chưa rõ: {unknown}"
                 + (" (trang ghi “Chưa có thông tin”; bổ sung trong content/overlays/<mã>.yml)." if unknown else "."))
    return lines
