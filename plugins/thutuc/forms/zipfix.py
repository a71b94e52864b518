"""Make office zip files reproducible: same bytes for the same form, whenever and wherever it is built."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


_ROOT_TAG = re.compile(rb"<(?!\?)[^>]+>")
_XMLNS = re.compile(rb'\s+xmlns(?::[\w.-]+)?="[^"]*"')


def sort_namespaces(xml: bytes) -> bytes:
    """Keep only the root's namespace declarations in use, sorted.

    odfpy writes them in set (hash) order and adds more once a process has written other documents.
    """
    match = _ROOT_TAG.search(xml)
    if not match:
        return xml
    tag = match.group(0)
    rest = _XMLNS.sub(b"", tag)
    used = rest + xml[match.end() :]
    declarations = sorted(
        d for d in _XMLNS.findall(tag)
        if b":" not in d.split(b"=")[0] or re.search(rb"[<\s/]" + re.escape(d.split(b"=")[0].split(b":")[1]) + rb":", used)
    )
    closing = 2 if rest.endswith(b"/>") else 1
    return xml[: match.start()] + rest[:-closing] + b"".join(declarations) + rest[-closing:] + xml[match.end() :]


def normalise_zip(data: bytes, xml_fix=None) -> bytes:
    """Rewrite every entry with a fixed time, fixed attributes and stable order.

    The first entry keeps its place (ODF requires `mimetype` first and stored); the rest are sorted.
    `xml_fix`, when given, rewrites the bytes of every .xml entry.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        ordered = infos[:1] + sorted(infos[1:], key=lambda info: info.filename)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as target:
            for info in ordered:
                entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
                entry.create_system = 3
                entry.external_attr = 0o644 << 16
                content = source.read(info.filename)
                if xml_fix is not None and info.filename.endswith(".xml"):
                    content = xml_fix(content)
                target.writestr(entry, content, compresslevel=9 if entry.compress_type else None)
    return output.getvalue()
