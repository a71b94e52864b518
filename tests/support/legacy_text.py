"""Vietnamese text as the legacy encodings write it, to build realistic bad inputs.

VNI-Windows draws Vietnamese with ASCII letters followed by "mark" bytes of the VNI fonts; Windows-1258
writes most tones as separate combining bytes. Read as Windows-1252 (what a UTF-8 editor shows after
a copy from an old document) "Đăng ký" becomes "Ñaêng kyù" (VNI) or "Ðãng kyì" (Windows-1258).
"""

from __future__ import annotations

import unicodedata

_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}  # sắc huyền hỏi ngã nặng
_SHAPES = {"\u0302": "circumflex", "\u0306": "breve", "\u031b": "horn"}
# VNI mark bytes (lower case; the upper-case letter takes the upper-case byte), in _TONES order.
_VNI_TONE = "ùøûõï"
_VNI_TONE_CIRCUMFLEX = "áàåãä"
_VNI_TONE_BREVE = "éèúüë"
_VNI_I = "íìæóò"  # i with a tone is a single byte


def _vni_char(char: str) -> str:
    if char == "đ":
        return "ñ"
    if char == "Đ":
        return "Ñ"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii():
        return char
    upper = base.isupper()
    shape = next((_SHAPES[m] for m in marks if m in _SHAPES), None)
    tone = next((_TONES[m] for m in marks if m in _TONES), None)
    if base.lower() == "i" and tone is not None and shape is None:
        out = _VNI_I[tone]
        return out.upper() if upper else out
    if shape == "horn":
        base = {"u": "ö", "o": "ô", "U": "Ö", "O": "Ô"}[base]
        mark = "" if tone is None else _VNI_TONE[tone]
    elif shape == "circumflex":
        mark = "â" if tone is None else _VNI_TONE_CIRCUMFLEX[tone]
    elif shape == "breve":
        mark = "ê" if tone is None else _VNI_TONE_BREVE[tone]
    else:
        mark = "" if tone is None else _VNI_TONE[tone]
    return base + (mark.upper() if upper else mark)


def vni_as_cp1252(text: str) -> str:
    """Vietnamese text typed with VNI-Windows fonts, as a UTF-8 editor shows it: "Ñaêng kyù"."""
    return "".join(_vni_char(c) for c in unicodedata.normalize("NFC", text))


def vni_bytes(text: str) -> bytes:
    """The bytes of a file saved with VNI-Windows fonts."""
    return vni_as_cp1252(text).encode("cp1252")


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 bytes: a precomposed letter when the code page has it, else base letter + tone byte."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in decomposed if m in _TONES)
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def cp1258_as_cp1252(text: str) -> str:
    """Windows-1258 text as a UTF-8 editor shows it after a paste: "Ðãng kyì"."""
    return cp1258_bytes(text).decode("cp1252", errors="replace")
