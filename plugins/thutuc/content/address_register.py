"""The register of published addresses (`content/published-addresses.txt`): no address ever 404s.

One line per address the site has ever published, sorted, UTF-8 with LF:
    /thu-tuc/dang-ky-khai-sinh-1-001193/                     a live page (also an abolished procedure's notice)
    /thu-tuc/dang-ky-khai-sinh-cu-1-001193/ -> /thu-tuc/dang-ky-khai-sinh-1-001193/   an address that moved
NEW is always live (chains are collapsed). The build reads it before planning pages (old addresses become
redirect pages), refuses a procedure address whose code is gone without notice, and writes the new register
only after a successful build. The hosting configurations turn `redirects()` into 301 rules.
No MkDocs imports.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from . import urls
from .problems import Problem, display_path

REGISTER_NAME = "published-addresses.txt"
PROCEDURE_PREFIX = f"/{urls.PROCEDURES}/"


def is_procedure_address(address: str) -> bool:
    """/thu-tuc/<slug>/, not the index page /thu-tuc/ itself."""
    return address.startswith(PROCEDURE_PREFIX) and address != PROCEDURE_PREFIX
ARROW = " -> "
HEADER = """\
# Sổ địa chỉ đã công bố của trang web: mỗi dòng một địa chỉ từng được xuất bản.
# Tệp này do lệnh xây dựng (python3 build.py) tự ghi sau mỗi lần xây dựng thành công: KHÔNG sửa bằng tay.
# "/dia-chi/" là trang đang có (kể cả trang thông báo thủ tục đã bãi bỏ);
# "/dia-chi-cu/ -> /dia-chi-moi/" là địa chỉ đã đổi: trang cũ chuyển hướng về trang mới.
# Cấu hình máy chủ (nginx, Apache, IIS, _redirects) lấy các dòng chuyển hướng ở đây làm quy tắc 301.
"""
# Git merge markers: two branches that both published pages conflict here; every address on either side counts.
_MERGE_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


@dataclass
class Register:
    live: set[str] = field(default_factory=set)
    moved: dict[str, str] = field(default_factory=dict)  # old -> new
    lines: dict[str, int] = field(default_factory=dict)  # address -> line in the file, for messages
    problems: list[Problem] = field(default_factory=list)


def _is_address(text: str) -> bool:
    return text.startswith("/") and text.endswith("/") and " " not in text


def read_register(path: Path) -> Register:
    """The register at path (an empty one when the file does not exist yet). Bad lines become problems."""
    register = Register()
    if not path.exists():
        return register
    shown = display_path(path)
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith(_MERGE_MARKERS):
            continue
        old, arrow, new = (part.strip() for part in line.partition(ARROW.strip()))
        if arrow and _is_address(old) and _is_address(new):
            # After a merge the same old address may have two targets; the later line wins, the build resolves it again.
            register.moved[old] = new
            register.lines[old] = number
        elif not arrow and _is_address(old):
            register.live.add(old)
            register.lines[old] = number
        else:
            register.problems.append(Problem(
                shown, number, 1, "", f"dòng “{line}” không phải một địa chỉ (/duong-dan/) hay “/cu/ -> /moi/”.",
                hint=f"tệp {REGISTER_NAME} do lệnh xây dựng tự ghi: lấy lại bản trong git (git checkout -- {shown}).",
            ))
    register.live -= set(register.moved)
    return register


def redirects(register: Register) -> list[tuple[str, str]]:
    """(old, new) of every moved address, sorted: what the hosting configurations make 301 rules of."""
    return sorted(register.moved.items())


def register_text(register: Register) -> str:
    entries = {address: address for address in register.live}
    entries.update({old: f"{old}{ARROW}{new}" for old, new in register.moved.items()})
    return HEADER + "".join(entries[address] + "\n" for address in sorted(entries))


def write_register(path: Path, register: Register) -> bool:
    """Write the register atomically (temporary file and rename); False when nothing changed."""
    text = register_text(register)
    if path.exists() and path.read_text("utf-8") == text:
        return False
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def code_suffix(code: str) -> str:
    """How a code ends a procedure address: "1.001193" -> "1-001193" (text.procedure_slug)."""
    return slugify(code)


def code_in_address(address: str, suffixes: dict[str, str]) -> str | None:
    """The key of suffixes that the procedure address ends with (the longest), or None."""
    parts = address.removeprefix(PROCEDURE_PREFIX).strip("/").split("-")
    for start in range(1, len(parts)):
        found = suffixes.get("-".join(parts[start:]))
        if found is not None:
            return found
    return None


@dataclass
class Outcome:
    register: Register  # what to write after a successful build
    redirects: dict[str, str]  # old address -> live address: a redirect page each
    gone: list[str]  # procedure addresses whose code no file has any more, nor names as previous_codes


def _parent(address: str, live: set[str]) -> str:
    """The nearest live ancestor of an address that is not a procedure (a list that emptied): its section."""
    parts = address.strip("/").split("/")
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + ("/" if parts else "")
        if candidate in live or candidate == "/":
            return candidate
    return "/"


def update(old: Register, live: set[str], code_target: Callable[[str], str | None]) -> Outcome:
    """The register after this build: every live address, and every earlier one moved to a live one.

    code_target(address) is where a procedure address now lives (its code's page, or the page that names
    the code in previous_codes), or None when nothing does."""
    moved: dict[str, str] = {}
    gone: list[str] = []
    earlier = sorted(old.live | set(old.moved))

    def resolve(address: str, seen: frozenset[str]) -> str | None:
        if address in live:
            return address
        if is_procedure_address(address):
            target = code_target(address)
            if target is not None:
                return target
        if address in old.moved and address not in seen:
            return resolve(old.moved[address], seen | {address})
        if is_procedure_address(address):
            return None
        return _parent(address, live)

    for address in earlier:
        if address in live:
            continue
        target = resolve(address, frozenset())
        if target is None:
            if address in old.live:  # a moved one fails through the live address it pointed at
                gone.append(address)
            continue
        moved[address] = target
    register = Register(live=set(live), moved=moved)
    return Outcome(register, moved, gone)


def code_targets(procedures) -> Callable[[str], str | None]:
    """Where a procedure address lives now, by the code it ends with: the page of that code (active or a
    notice), or of the procedure that names it in previous_codes."""
    suffixes: dict[str, str] = {}
    for procedure in procedures:
        for code in procedure.previous_codes:
            suffixes[code_suffix(code)] = "/" + procedure.url
    for procedure in procedures:
        suffixes[code_suffix(procedure.code)] = "/" + procedure.url
    return lambda address: code_in_address(address, suffixes)


def _shown_code(address: str) -> str:
    """The code an address most likely carried ("…-1-001193/" -> "1.001193"), for messages."""
    found = re.search(r"-(\d)-(\d{6})/$", address)
    return f"{found[1]}.{found[2]}" if found else ""


def gone_problems(path: Path, register: Register, procedures) -> list[Problem]:
    """A published procedure address with nothing behind it any more (its file deleted without notice)."""
    targets = code_targets(procedures)
    live = {"/" + p.url for p in procedures} | {a for a in register.live | set(register.moved) if not is_procedure_address(a)}
    outcome = update(register, live, targets)
    problems = list(register.problems)
    shown = display_path(path)
    for address in outcome.gone:
        code = _shown_code(address)
        named = f"mã “{code}”" if code else "mã ở cuối địa chỉ"
        problems.append(Problem(
            shown, register.lines.get(address, 1), 1, "",
            f"địa chỉ {address} đã được công bố nhưng không còn thủ tục nào mang {named} (tệp thủ tục đã bị xóa?); "
            "người dân và máy tìm kiếm mở địa chỉ này sẽ gặp lỗi 404.",
            hint="chọn một trong hai cách: (1) lấy lại tệp (git checkout) và ghi status: abolished cùng abolished: "
            "{date, decision, replaced_by} để địa chỉ này thành trang thông báo bãi bỏ; (2) nếu thủ tục chuyển sang mã khác, "
            f"ghi previous_codes: [\"{code or '<mã cũ>'}\"] trong tệp của thủ tục mới để địa chỉ này chuyển về trang đó.",
        ))
    return problems
