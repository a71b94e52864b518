"""Weak-content warnings and the completeness report for editors.

These never stop a build: they tell editors what would make a page more useful. The date a page counts
as stale is relative to a reference date: `build.py check` uses today, the report page inside the site
uses the newest date in the catalogue so that two builds of the same content are identical.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .model import Catalogue, Procedure
from .problems import Problem, Severity
from .yamlsource import location_text

EDITABLE_EXTENSIONS = (".docx", ".odt", ".doc", ".rtf")
STALE_DAYS = 365


STALE_TEXT = "đã hơn 12 tháng"  # also in the one-line summary of these warnings (findings.report_lines)

def _warning(procedure: Procedure, location: tuple[str | int, ...], message: str, hint: str) -> Problem:
    if procedure.document is not None:
        path, line, column = procedure.document.locate(location)
    else:
        (line, column), path = procedure.position(*location), procedure.source_path
    return Problem(path, line, column, location_text(location), message, Severity.WARNING, hint)


def updated_date(procedure: Procedure, dates: dict[Path, str]) -> str:
    return procedure.updated or dates.get(procedure.source_file, "")


def reference_date(catalogue: Catalogue, dates: dict[Path, str]) -> dt.date | None:
    """The newest content date: a reproducible "now" for pages built from the same content."""
    found = [updated_date(p, dates) for p in catalogue.procedures]
    found = [d for d in found if d]
    return dt.date.fromisoformat(max(found)) if found else None


LONG_TITLE = 60  # a search result shows about 60 characters of a page title (seo.TITLE_MAX)


def is_stale(updated: str, today: dt.date | None) -> bool:
    if not updated or today is None:
        return False
    return (today - dt.date.fromisoformat(updated)).days > STALE_DAYS


def procedure_warnings(procedure: Procedure, today: dt.date | None, dates: dict[Path, str] | None = None) -> list[Problem]:
    """Every weak-content warning of one procedure, located at the key to add or fix."""
    found: list[Problem] = []
    if not procedure.summary:
        found.append(_warning(procedure, ("title",), "chưa có mô tả ngắn (summary).",
                              "thêm \"summary:\" một hoặc hai câu: hiện trong kết quả tìm kiếm và trên Google."))
    if len(procedure.title) > LONG_TITLE and not procedure.short_title:
        found.append(_warning(procedure, ("title",), f"tên thủ tục dài {len(procedure.title)} ký tự, Google sẽ cắt bớt tiêu đề trang.",
                              "thêm \"short_title:\" (tối đa 50 ký tự), ví dụ \"Chứng thực chữ ký\"; tên chính thức vẫn là tiêu đề lớn."))
    if not procedure.keywords:
        found.append(_warning(procedure, ("title",), "chưa có từ khóa (keywords).",
                              "thêm \"keywords: [...]\" với các từ người dân hay gõ, kể cả chữ viết tắt (CCCD, GPLX)."))
    # Imported records may lack these (the page says "Chưa có thông tin"); a citizen needs them to check the law.
    if not procedure.decision:
        found.append(_warning(procedure, ("title",), "chưa có quyết định công bố thủ tục (decision).",
                              "tra trên Cơ sở dữ liệu quốc gia về thủ tục hành chính rồi thêm \"decision:\"."))
    for index, basis in enumerate(procedure.legal_basis):
        labelled = (("ngày ban hành (issued)", basis.issued), ("cơ quan ban hành (issuer)", basis.issuer))
        missing = [label for label, value in labelled if not value]
        if missing:
            found.append(_warning(procedure, ("legal_basis", index, "number"),
                                  f"văn bản {basis.number} chưa có {' và '.join(missing)}.",
                                  "đối chiếu văn bản gốc rồi thêm các dòng còn thiếu."))
    if procedure.level >= 2:
        for index, form in enumerate(procedure.forms):
            if form.files and not any(Path(f).suffix.lower() in EDITABLE_EXTENSIONS for f in form.files):
                found.append(_warning(procedure, ("forms", index, "files"),
                                      f"mẫu “{form.title}” không có tệp sửa được (.docx, .odt, .doc, .rtf).",
                                      "người dân cần tệp điền được trên máy: thêm bản .docx hoặc .odt bên cạnh bản .pdf."))
    updated = updated_date(procedure, dates or {})
    if is_stale(updated, today):
        location = ("updated",) if procedure.updated else ("title",)
        found.append(dataclasses.replace(
            _warning(procedure, location, f"nội dung cập nhật lần cuối ngày {updated}, {STALE_TEXT}.",
                     "đối chiếu với Cổng Dịch vụ công quốc gia rồi sửa \"updated:\" thành ngày kiểm tra."),
            dated=True))
    return found


def catalogue_warnings(catalogue: Catalogue, today: dt.date | None, dates: dict[Path, str] | None = None) -> list[Problem]:
    return [w for p in catalogue.procedures for w in procedure_warnings(p, today, dates)]


# -- the report page ------------------------------------------------------------------------------


@dataclass
class ReportRow:
    code: str
    title: str
    url: str
    source: str
    field: str
    level: int
    updated: str
    stale: bool
    checks: list[tuple[str, bool]]  # (label, ok)
    warnings: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return round(100 * sum(ok for _, ok in self.checks) / len(self.checks)) if self.checks else 100


@dataclass
class ContentReport:
    reference: str
    rows: list[ReportRow]

    @property
    def stale(self) -> list[ReportRow]:
        return [r for r in self.rows if r.stale]

    @property
    def missing_forms(self) -> list[ReportRow]:
        return [r for r in self.rows if any(label.startswith("Biểu mẫu") and not ok for label, ok in r.checks)]

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.rows)

    @property
    def average(self) -> int:
        return round(sum(r.score for r in self.rows) / len(self.rows)) if self.rows else 100


def content_report(catalogue: Catalogue, dates: dict[Path, str] | None = None) -> ContentReport:
    dates = dates or {}
    reference = reference_date(catalogue, dates)
    rows = []
    for procedure in sorted(catalogue.procedures, key=lambda p: (p.field, p.code)):
        updated = updated_date(procedure, dates)
        referenced = {d.form for c in procedure.cases for d in c.documents if d.form}
        forms_ok = all(f.files for f in procedure.forms if f.id in referenced)
        editable_ok = all(
            any(Path(x).suffix.lower() in EDITABLE_EXTENSIONS for x in f.files) for f in procedure.forms if f.files
        )
        checks = [
            ("Mô tả ngắn", bool(procedure.summary)),
            ("Từ khóa", bool(procedure.keywords)),
            ("Sự kiện cuộc sống", bool(procedure.life_events)),
            ("Dành cho", bool(procedure.audiences)),
            ("Biểu mẫu có tệp tải về", forms_ok),
            ("Biểu mẫu có bản sửa được", editable_ok),
            ("Căn cứ pháp lý có liên kết", any(b.url for b in procedure.legal_basis)),
            ("Cập nhật trong 12 tháng", bool(updated) and not is_stale(updated, reference)),
        ]
        rows.append(
            ReportRow(
                code=procedure.code,
                title=procedure.title,
                url=procedure.url,
                source=procedure.source_path,
                field=catalogue.fields[procedure.field].name if procedure.field in catalogue.fields else procedure.field,
                level=procedure.level,
                updated=updated,
                stale=is_stale(updated, reference),
                checks=checks,
                warnings=[f"{w.key}: {w.message}" for w in procedure_warnings(procedure, reference, dates)],
            )
        )
    return ContentReport(reference.isoformat() if reference else "", rows)
