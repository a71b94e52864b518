"""Problems found in content: one type for errors and warnings, printed the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as the source allows (1-based line and column)."""

    path: str
    line: int
    column: int
    key: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    # True for a warning that depends on today's date ("hơn 12 tháng"): summarised in one line by default.
    dated: bool = field(default=False, compare=False)

    def format(self) -> str:
        location = f"{self.path}:{self.line}:{self.column}"
        key = self.key or "(tệp)"
        text = f"{location}: {key}: {self.message}"
        if self.severity is Severity.WARNING:
            text = f"{location}: {key}: [cảnh báo] {self.message}"
        if self.hint:
            text += f" Gợi ý: {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class Problems:
    """An ordered, de-duplicated collection: the same problem is reported once."""

    items: list[Problem] = field(default_factory=list)
    # Membership in a set: a list scan made large catalogues with many warnings quadratic.
    _seen: set[Problem] = field(default_factory=set, repr=False, compare=False)

    def add(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def extend(self, problems: list[Problem] | Problems) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.path, p.line, p.column, p.key, p.message))


class ContentError(Exception):
    """Raised when content has errors: carries every problem so all are reported in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as editors see it: relative to the working directory when possible, with forward slashes."""
    for base in (Path.cwd(), root):
        if base is None:
            continue
        # The path as written first: a symlink must be named where it is, not where it points.
        for candidate, folder in ((path.absolute(), base.absolute()), (path.resolve(), base.resolve())):
            try:
                return candidate.relative_to(folder).as_posix()
            except ValueError:
                continue
    return path.as_posix()
