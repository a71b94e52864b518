"""The server redirects (301 rules) from the register of published addresses (content/published-addresses.txt).

The register is read and written by address_register.py alone; the build computes the moved addresses
(address_register.update) and this module checks each one before it goes into a server configuration
(`checked_redirects`).

Format (address_register.py): UTF-8, one entry a line, `#` comment lines; a live address
is a site path alone (`/thu-tuc/dang-ky-khai-sinh-1-001193/`); a moved one is `OLD -> NEW`, both
paths starting and ending with `/`, NEW live. The paths end up inside nginx, Apache and IIS
configurations, so only plain URL characters are accepted: content is untrusted. No MkDocs imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Slug characters only: nothing that could end a configuration line, quote, or act as a pattern.
_PATH = re.compile(r"^/(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*/)*$")


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str


class RegisterError(ValueError):
    """A located Vietnamese message about the register."""


def _checked(path: str, file: Path) -> str:
    if not _PATH.fullmatch(path) or "/../" in path or "/./" in path:
        raise RegisterError(
            f"{file}: địa chỉ “{path[:80]}” không hợp lệ. Gợi ý: địa chỉ trang bắt đầu và kết thúc bằng “/”, "
            "chỉ gồm chữ không dấu, số, “-”, “_” và “.”, ví dụ /thu-tuc/dang-ky-khai-sinh-1-001193/."
        )
    return path


def checked_redirects(moved: dict[str, str], file: Path) -> list[Redirect]:
    """The build's moved addresses (old -> live) as 301 rules, sorted; each path checked like a register line."""
    return [Redirect(_checked(old, file), _checked(new, file)) for old, new in sorted(moved.items())]
