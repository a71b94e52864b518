"""Vietnamese for argparse's own texts: "usage:", section titles, -h and its error messages.

argparse looks each of its strings up through gettext when it uses them (module globals `_` and
`ngettext`). `vietnamese()` puts this catalogue there for the duration of building and parsing the
command line, so no compiled .mo file or locale is needed and nothing else in the process changes.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

# Keys are argparse's msgids (Python 3.11 to 3.13); a translation may use the same %(name)s fields.
MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\nXem hướng dẫn: python3 %(prog)s -h\n",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "ignored explicit argument %r": "tham số này không nhận giá trị (%r)",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "invalid %(type)s value: %(value)r": "giá trị “%(value)s” không hợp lệ",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn “%(value)s”; chọn một trong: %(choices)s",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "không có lựa chọn “%(value)s”, có phải ý bạn là “%(closest)s”? (chọn một trong: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh “%(parser_name)s” (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
}

PLURALS = {
    "expected %s argument": "cần %s giá trị",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return PLURALS.get(singular, singular if count == 1 else plural)


@contextlib.contextmanager
def vietnamese() -> Iterator[None]:
    """Build and parse command lines inside this block: argparse then speaks Vietnamese."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
