"""Where the image data of a PNG, JPEG, GIF or WebP file ends, so that anything after it can be refused.

A file can be a valid image and carry HTML or script after the image's end marker (a polyglot): a
browser that sniffs content could run it, and the file itself is a hiding place. Each format says where
it ends (PNG's IEND chunk, JPEG's EOI marker after the scan, GIF's trailer block, WebP's RIFF length),
so the structure is walked, not searched, and the end must be the end of the file. No dependency.
"""

from __future__ import annotations

import struct


def _png_end(data: bytes) -> int | None:
    offset = 8
    while offset + 12 <= len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        offset += 12 + length
        if kind == b"IEND":
            return offset if offset <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    offset = 2  # after SOI (FFD8)
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == 0xD9:
            return offset + 2
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        offset += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker that is not RSTn or FF00
            while True:
                offset = data.find(b"\xff", offset)
                if offset < 0 or offset + 1 >= len(data):
                    return None
                following = data[offset + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    offset += 1 if following == 0xFF else 2
                    continue
                break
    if offset + 2 <= len(data) and data[offset:offset + 2] == b"\xff\xd9":
        return offset + 2
    return None


def _gif_sub_blocks(data: bytes, offset: int) -> int | None:
    while offset < len(data):
        size = data[offset]
        offset += 1 + size
        if size == 0:
            return offset
    return None


def _gif_end(data: bytes) -> int | None:
    if len(data) < 13:
        return None
    flags = data[10]
    offset = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)  # global colour table
    while offset < len(data):
        block = data[offset]
        if block == 0x3B:  # trailer
            return offset + 1
        if block == 0x21:  # extension: label, then sub-blocks
            found = _gif_sub_blocks(data, offset + 2)
        elif block == 0x2C and offset + 10 <= len(data):  # image: descriptor, local colour table, LZW size, sub-blocks
            local = data[offset + 9]
            start = offset + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            found = _gif_sub_blocks(data, start)
        else:
            return None
        if found is None:
            return None
        offset = found
    return None


def _webp_end(data: bytes) -> int | None:
    if len(data) < 12:
        return None
    (size,) = struct.unpack("<I", data[4:8])
    return size + 8  # the RIFF size counts everything after its own field


_ENDS = {".png": _png_end, ".jpg": _jpeg_end, ".jpeg": _jpeg_end, ".gif": _gif_end, ".webp": _webp_end}


def image_end(data: bytes, extension: str) -> int | None:
    """The offset just after the image's last byte, or None when the structure cannot be followed to its end."""
    try:
        return _ENDS[extension](data)
    except (IndexError, struct.error):
        return None
