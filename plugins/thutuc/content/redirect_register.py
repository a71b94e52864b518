"""The server redirects (301 rules) from the register of published addresses (content/published-addresses.txt).

The build computes the moved addresses (address_register.update, which owns the register); this module
checks each address before it goes into a server configuration (`checked_redirects`), and reads a register
file by itself for tools that have no build (`read_register`).

Format (shared with the lifecycle tools): UTF-8, one entry a line, `#` comment lines; a live address
is a site path alone (`/thu-tuc/dang-ky-khai-sinh-1-001193/`); a moved one is `OLD -> NEW`, both
paths starting and ending with `/`, NEW live. The paths end up inside nginx, Apache and IIS
configurations, so only plain URL characters are accepted: content is untrusted. No MkDocs imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ARROW = "->"
# Slug characters only: nothing that could end a configuration line, quote, or act as a pattern.
_PATH = re.compile(r"^/(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*/)*$")


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str


class RegisterError(ValueError):
    """A located Vietnamese message about the register."""


def _checked(path: str, file: Path, number: int) -> str:
    if not _PATH.fullmatch(path) or "/../" in path or "/./" in path:
        raise RegisterError(
            f"{file}:{number}: địa chỉ “{path[:80]}” không hợp lệ. Gợi ý: địa chỉ trang bắt đầu và kết thúc bằng “/”, "
            "chỉ gồm chữ không dấu, số, “-”, “_” và “.”, ví dụ /thu-tuc/dang-ky-khai-sinh-1-001193/."
        )
    return path


def read_register(file: Path) -> list[Redirect]:
    """The moved addresses of the register, in file order; a missing register means no redirects."""
    if not file.is_file():
        return []
    redirects: list[Redirect] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(file.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or ARROW not in line:
            if line and not line.startswith("#"):
                _checked(line, file, number)
            continue
        old, _, new = (part.strip() for part in line.partition(ARROW))
        redirect = Redirect(_checked(old, file, number), _checked(new, file, number))
        if redirect.old == redirect.new:
            raise RegisterError(f"{file}:{number}: địa chỉ {old} chuyển về chính nó.")
        if redirect.old in seen:
            raise RegisterError(f"{file}:{number}: địa chỉ {old} đã được chuyển ở dòng {seen[redirect.old]}.")
        seen[redirect.old] = number
        redirects.append(redirect)
    return redirects


def checked_redirects(moved: dict[str, str], file: Path) -> list[Redirect]:
    """The build's moved addresses (old -> live) as 301 rules, sorted; each path checked like a register line."""
    return [Redirect(_checked(old, file, 0), _checked(new, file, 0)) for old, new in sorted(moved.items())]
