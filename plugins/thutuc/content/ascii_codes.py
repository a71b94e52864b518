"""Codes and JSON Schema patterns read the ECMA-262 way: `\\d` is 0-9 and nothing else.

JSON Schema patterns are ECMA-262 regular expressions, where `\\d` means [0-9] (VS Code and Decap read
them so). Python's `re` matches every Unicode decimal digit with `\\d`: a code typed in full-width
("１.００１１９３") or Arabic-Indic digits looks like a real one and slugifies to the same address, so a
second file could publish a page in place of the real one. Every pattern run through Python is
translated here first, and messages name the foreign digit an editor cannot see.
"""

from __future__ import annotations

import unicodedata

_OUTSIDE = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]"}
_INSIDE = {"d": "0-9", "w": "A-Za-z0-9_"}


def ecma_pattern(pattern: str) -> str:
    """The pattern with `\\d`, `\\w` (and their negations) meaning ASCII only, as in ECMA-262."""
    out: list[str] = []
    in_class = False
    ascii_flag = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            letter = pattern[index + 1]
            table = _INSIDE if in_class else _OUTSIDE
            if letter in table:
                out.append(table[letter])
            else:
                out.append(char + letter)
                ascii_flag = ascii_flag or (in_class and letter in "DW")  # no class form: fall back to the flag
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    translated = "".join(out)
    return "(?a)" + translated if ascii_flag else translated


def foreign_digit(text: str) -> str | None:
    """The first digit in text that is not 0-9, described for an editor: “１” (U+FF11 FULLWIDTH DIGIT ONE)."""
    for char in text:
        if not char.isascii() and (char.isdecimal() or char.isdigit()):
            return f"“{char}” (U+{ord(char):04X} {unicodedata.name(char, '?')})"
    return None


def foreign_digit_message(text: str) -> str | None:
    """A Vietnamese explanation when text holds a digit other than 0-9, else None."""
    found = foreign_digit(text)
    if found is None:
        return None
    return (f"“{text}” có chữ số {found} không phải chữ số 0–9 thường (có thể do gõ ở chế độ toàn chiều rộng "
            "hoặc dán từ văn bản khác).")


FOREIGN_DIGIT_HINT = "xóa mã này và gõ lại bằng chữ số 0–9 trên bàn phím."
