"""Every problem editors are told about, gathered in one place for `check` and `build` alike.

`check` and `build` used to collect warnings in different phases (weak-content warnings only in
`check`, configuration and page warnings only in `build`), so the two commands disagreed on the same
content. Both now call `collect_problems` and print with `report_lines`: the same problems, the same
count. Warnings come first and errors last, next to the summary line, so that a long list of warnings
never pushes the errors off the screen; warnings that depend on today's date are one line unless asked.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content.editorial import STALE_TEXT, catalogue_warnings
from ..content.model import Catalogue
from ..content.problems import Problem, Problems, Severity, display_path
from ..render.markdown import has_raw_html
from ..site.navigation import navigation_warnings
from ..site.pages import SiteSettings

_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.DOTALL)


def page_warnings(pages_dir: Path | None) -> list[Problem]:
    """Raw HTML in ordinary pages (content/pages/*.md): it is removed when published."""
    if pages_dir is None or not pages_dir.is_dir():
        return []
    found = []
    for page in sorted(pages_dir.rglob("*.md")):
        if not page.is_file():
            continue  # a FIFO is refused by pages_source.check_pages; reading it would never end
        try:
            text = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports an unreadable page itself
        if has_raw_html(_FRONT_MATTER.sub("", text, count=1)):
            found.append(Problem(
                display_path(page), 1, 1, "", "trang có mã HTML; mã này bị loại bỏ khi xuất bản.", Severity.WARNING,
                "dùng cú pháp Markdown (ví dụ **đậm**, danh sách \"- \") thay cho thẻ HTML.",
            ))
    return found


def collect_problems(
    loaded: Problems,
    catalogue: Catalogue,
    settings: SiteSettings,
    config_path: str,
    pages_dir: Path | None,
    dates: dict[Path, str],
    today: dt.date,
) -> Problems:
    """The load's problems plus every warning about the catalogue, the configuration and the pages.

    Weak-content warnings are relative to `today`: they are printed for editors, never published.
    """
    problems = Problems()
    problems.extend(loaded)
    if catalogue.procedures:
        problems.extend(catalogue_warnings(catalogue, today, dates))
    if not loaded.errors:
        # With errors the catalogue lacks the broken files: "no procedure has code X" would blame mkdocs.yml.
        problems.extend(navigation_warnings(catalogue, settings, config_path))
    problems.extend(page_warnings(pages_dir))
    return problems


def report_order(problems: list[Problem] | Problems) -> list[Problem]:
    """Warnings first, then errors (last, where the summary is read); each group by file, line and column."""
    def key(problem: Problem) -> tuple:
        return (problem.is_error, problem.path, problem.line, problem.column, problem.key, problem.message)

    return sorted(problems, key=key)


def report_lines(problems: list[Problem] | Problems, all_dated: bool = False) -> list[str]:
    """The printed lines; warnings that depend on today's date are summarised in one line unless all_dated."""
    ordered = report_order(problems)
    dated = [p for p in ordered if p.dated and not p.is_error]
    if all_dated or len(dated) < 2:
        return [problem.format() for problem in ordered]
    lines = [problem.format() for problem in ordered if not (problem.dated and not problem.is_error)]
    summary = (f"[cảnh báo] {len(dated)} thủ tục có nội dung cập nhật lần cuối {STALE_TEXT} (đầu tiên: {dated[0].path}). "
               "Xem từng thủ tục: python3 build.py check --all-warnings.")
    warnings_end = sum(1 for p in ordered if not p.is_error) - len(dated)
    return lines[:warnings_end] + [summary] + lines[warnings_end:]
