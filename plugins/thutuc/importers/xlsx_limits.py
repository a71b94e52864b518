"""Bounds on what an .xlsx may make the importer do, checked by a streaming pass before openpyxl reads it.

An .xlsx is a zip of XML parts, and openpyxl (even read-only) loads the shared strings and each cell's
text whole: a 413 KB file holding one 400 MB cell took 4.4 GB, and a 1 MB file unpacking to 480 MB of
cells took minutes, both under the file-size limits. Here every XML part is streamed (lxml iterparse,
elements freed as they end) and the file is refused at the first cell over MAX_CELL_CHARS (lxml itself
stops a text node at 10 MB: memory stays bounded), past MAX_CELLS cells or shared strings, or after
MAX_SECONDS, with the reason.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from lxml import etree

from .safety import MAX_RECORDS, MAX_VALUE_CHARS, ImportRefused

MAX_CELL_CHARS = MAX_VALUE_CHARS  # one cell: a long legal text with HTML is well below
MAX_CELLS = MAX_RECORDS * 100  # cells (or shared strings) in the file: every row, 100 columns
MAX_SECONDS = 60.0  # reading the whole file, checks and openpyxl together

_CELL_TAGS = ("c", "si", "row")  # a worksheet cell, a shared string, a row
_TEXT_TAGS = ("v", "t", "f", "is")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def deadline() -> float:
    return time.monotonic() + MAX_SECONDS


def check_time(until: float) -> None:
    if time.monotonic() > until:
        raise ImportRefused(f"đọc tệp .xlsx mất hơn {MAX_SECONDS:g} giây nên bị dừng: tệp quá lớn hoặc có cấu trúc "
                            "bất thường; hãy mở bằng Excel, xóa các ô thừa rồi lưu lại, hoặc chia thành nhiều tệp.")


def check_xlsx(file: Path, until: float) -> None:
    """Refuse the file (ImportRefused, Vietnamese) when a cell is too long, there are too many cells, or it takes too long."""
    cells = 0
    try:
        with zipfile.ZipFile(file) as archive:
            for name in archive.namelist():
                if not name.lower().endswith((".xml", ".rels")):
                    continue
                with archive.open(name) as part:
                    for _event, element in etree.iterparse(part, events=("end",), huge_tree=False, resolve_entities=False,
                                                           no_network=True, load_dtd=False):
                        tag = _local(element.tag)
                        if tag in _TEXT_TAGS and element.text and len(element.text) > MAX_CELL_CHARS:
                            raise ImportRefused(_long_cell(name, element, len(element.text)))
                        if tag in _CELL_TAGS:
                            cells += 1
                            if cells > MAX_CELLS:
                                raise ImportRefused(f"tệp .xlsx có hơn {_number(MAX_CELLS)} ô (kể cả ô trống và dòng "
                                                    "trống): hãy xóa các ô thừa (chọn vùng trống, Xóa) hoặc chia thành nhiều tệp.")
                            if cells % 10_000 == 0:
                                check_time(until)
                        if tag not in _TEXT_TAGS:  # a text's cell still needs it for the message above
                            element.clear()
                            while element.getprevious() is not None:
                                del element.getparent()[0]
            check_time(until)
    except etree.XMLSyntaxError as error:
        if "too long" in str(error) or "huge" in str(error).lower():  # lxml's own cap on one text node (10 MB)
            raise ImportRefused(f"tệp .xlsx có một ô dài hơn {_number(MAX_CELL_CHARS)} ký tự: hãy rút gọn nội dung ô đó."
                                ) from None
        raise ImportRefused("tệp .xlsx hỏng hoặc không phải tệp Excel: mở bằng Excel và lưu lại.") from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ImportRefused("tệp .xlsx hỏng hoặc không phải tệp Excel: mở bằng Excel và lưu lại.") from None


def _long_cell(part: str, element, length: int) -> str:
    # The cell's reference ("C2") is on the nearest ancestor with one: <c r="C2"><is><t>…
    where = next((ancestor.get("r") for ancestor in element.iterancestors() if ancestor.get("r")), "")
    place = f"ô {where}" if where else "một ô"
    return (f"tệp .xlsx có {place} dài {_number(length)} ký tự (tối đa {_number(MAX_CELL_CHARS)}; phần {part}): "
            "hãy rút gọn nội dung ô đó.")
