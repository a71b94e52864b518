"""Names shared by the fillable PDF and the fill-in page, so one person's entries map to both."""

from __future__ import annotations

from ..vi.text import slug


def option_value(option: str) -> str:
    """The value of one option of a choice: "Có" -> "co" (a PDF name and an HTML value alike)."""
    return slug(option)[:40].strip("-") or "lua-chon"


def table_cell_name(table: str, row: int, column: int) -> str:
    """One cell of a table entry, both 1-based: "thanh-vien-2-3"."""
    return f"{table}-{row}-{column}"
