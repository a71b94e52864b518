"""Procedures over time: announced (`effective_from`), in force, amended (`changes`), abolished.

Whether a procedure is announced or abolished depends on the day of the build: once `effective_from`
or `abolished.date` has passed, the next build shows it so without any edit. That day is the only thing a
build takes from the clock, and only the date: two builds on the same day are byte-identical, and
`THUTUC_TODAY=YYYY-MM-DD` (or `SOURCE_DATE_EPOCH`) fixes it for tests and reproducible builds.
No MkDocs imports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from ..vi.labels import date_vi
from .model import Catalogue, Change, Procedure
from .problems import Problems, Severity

TODAY_ENV = "THUTUC_TODAY"


def build_date() -> str:
    """The day the build judges lifecycle dates by, as YYYY-MM-DD."""
    value = os.environ.get(TODAY_ENV, "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def abolished_now(procedure: Procedure, today: str) -> bool:
    """Abolished and the abolition in force: the page is a notice, out of lists and search."""
    return procedure.status == "abolished" and procedure.abolition is not None and procedure.abolition.date <= today


def upcoming(procedure: Procedure, today: str) -> bool:
    """Announced but not yet in force: "Có hiệu lực từ dd/mm/yyyy"."""
    return bool(procedure.effective_from) and procedure.effective_from > today


def upcoming_note(procedure: Procedure, today: str) -> str:
    return f"Có hiệu lực từ {date_vi(procedure.effective_from)}" if upcoming(procedure, today) else ""


def split_abolished(catalogue: Catalogue, today: str) -> None:
    """Move procedures whose abolition is in force out of `procedures` (what every list, search and check
    of reachability reads) into `abolished` (notice pages only); note which are not yet in force."""
    everything = catalogue.procedures + catalogue.abolished
    catalogue.procedures = [p for p in everything if not abolished_now(p, today)]
    catalogue.abolished = [p for p in everything if abolished_now(p, today)]
    for procedure in catalogue.procedures:
        procedure.upcoming_note = upcoming_note(procedure, today)


@dataclass
class LifecycleView:
    """What a procedure page says about the procedure's life: shown above and below the usual sections."""

    abolished: bool = False  # the page is a notice: the facts below are no longer in force
    notice: str = ""  # "Thủ tục này đã bị bãi bỏ từ ngày … theo …" or "… sẽ bị bãi bỏ từ ngày …"
    reason: str = ""
    replacements: list[Procedure] = field(default_factory=list)
    upcoming: str = ""  # "Có hiệu lực từ dd/mm/yyyy"
    changes: list[tuple[str, Change]] = field(default_factory=list)  # (dd/mm/yyyy, change), newest first


def lifecycle_view(procedure: Procedure, catalogue: Catalogue, today: str) -> LifecycleView:
    view = LifecycleView(upcoming=upcoming_note(procedure, today),
                         changes=[(date_vi(c.date), c) for c in procedure.changes])
    abolition = procedure.abolition
    if procedure.status == "abolished" and abolition is not None:
        by_code = catalogue.by_code()
        view.abolished = abolished_now(procedure, today)
        verb = "đã bị bãi bỏ" if view.abolished else "sẽ bị bãi bỏ"
        view.notice = f"Thủ tục này {verb} từ ngày {date_vi(abolition.date)} theo {abolition.decision}."
        view.reason = abolition.reason
        view.replacements = [by_code[code] for code in abolition.replaced_by if code in by_code]
    return view


def _replacement_hint(target: Procedure) -> str:
    replaced = target.abolition.replaced_by if target.abolition else ()
    if replaced:
        return "trỏ tới thủ tục thay thế: " + ", ".join(f"“{code}”" for code in replaced) + "."
    return "xóa mã này, hoặc trỏ tới thủ tục đang áp dụng thay cho nó."


def lifecycle_problems(catalogue: Catalogue, today: str, invalid_codes: set[str], problem_at) -> Problems:
    """Checks between files about status, abolition, replacements and old codes (before split_abolished).

    problem_at(procedure, location, message, hint, severity) builds a located Problem (catalogue._problem_at)."""
    problems = Problems()
    by_code = {p.code: p for p in catalogue.procedures}
    claimed: dict[str, Procedure] = {}
    for procedure in catalogue.procedures:
        if procedure.status == "abolished" and procedure.abolition is None:
            problems.add(problem_at(procedure, ("status",), "thủ tục đã bãi bỏ nhưng thiếu mục “abolished” (Bãi bỏ).",
                                    "thêm abolished: với date (ngày bãi bỏ), decision (quyết định) và replaced_by "
                                    "(mã thủ tục thay thế, nếu có)."))
        if procedure.abolition is not None and procedure.status != "abolished":
            problems.add(problem_at(procedure, ("abolished",), "có mục “abolished” nhưng status không phải “abolished”.",
                                    "ghi status: abolished nếu thủ tục đã bãi bỏ, hoặc xóa mục abolished."))
        replaced = procedure.abolition.replaced_by if procedure.abolition else ()
        for index, code in enumerate(replaced):
            location = ("abolished", "replaced_by", index)
            target = by_code.get(code)
            if code == procedure.code:
                problems.add(problem_at(procedure, location, "thủ tục không thể thay thế chính nó.", "xóa mã này khỏi replaced_by."))
            elif target is None and code not in invalid_codes:
                problems.add(problem_at(procedure, location, f"không có thủ tục nào mang mã “{code}”.",
                                        "kiểm tra lại mã thủ tục thay thế; thủ tục thay thế phải có tệp trong content/procedures."))
            elif target is not None and target.status == "abolished":
                problems.add(problem_at(procedure, location, f"thủ tục thay thế “{code}” cũng đã bị bãi bỏ.",
                                        _replacement_hint(target)))
        for index, code in enumerate(procedure.related):
            target = by_code.get(code)
            if procedure.status == "abolished":
                break  # a notice page links its replacements, not its old related procedures
            if target is not None and target.status == "abolished" and code != procedure.code:
                in_force = abolished_now(target, today)
                problems.add(problem_at(
                    procedure, ("related", index), f"thủ tục liên quan “{code}” ({target.title}) "
                    + ("đã bị bãi bỏ." if in_force else "bị bãi bỏ."), _replacement_hint(target),
                    Severity.ERROR if in_force else Severity.WARNING))
        for index, code in enumerate(procedure.previous_codes):
            location = ("previous_codes", index)
            if code in by_code:
                problems.add(problem_at(procedure, location, f"mã cũ “{code}” vẫn là mã của tệp {by_code[code].source_path}.",
                                        "chỉ ghi mã cũ khi tệp của thủ tục cũ đã bị xóa; nếu thủ tục cũ còn, ghi status: "
                                        f"abolished và replaced_by: [\"{procedure.code}\"] trong tệp đó."))
            elif code in claimed:
                problems.add(problem_at(procedure, location, f"mã cũ “{code}” đã được ghi trong {claimed[code].source_path}.",
                                        "địa chỉ cũ chỉ chuyển về một trang: giữ mã cũ ở một tệp."))
            else:
                claimed[code] = procedure
    return problems

