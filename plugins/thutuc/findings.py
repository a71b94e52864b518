"""Every problem editors are told about, gathered in one place for `check` and `build` alike.

`check` and `build` used to collect warnings in different phases (weak-content warnings only in
`check`, configuration and page warnings only in `build`), so the two commands disagreed on the same
content. Both now call `collect_problems` and print with `report_lines`: the same problems, the same
count, errors first, then warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .editorial import catalogue_warnings
from .markdown_render import has_raw_html
from .model import Catalogue
from .navigation import navigation_warnings
from .pages import SiteSettings
from .problems import Problem, Problems, Severity, display_path

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
    """Errors first, then warnings; each group by file, line and column."""
    def key(problem: Problem) -> tuple:
        return (not problem.is_error, problem.path, problem.line, problem.column, problem.key, problem.message)

    return sorted(problems, key=key)


def report_lines(problems: list[Problem] | Problems) -> list[str]:
    return [problem.format() for problem in report_order(problems)]
