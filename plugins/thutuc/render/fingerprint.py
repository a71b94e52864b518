"""Content-hashed names for CSS, JavaScript, fonts and the search index, and precompressed `.gz` files.

A fingerprinted file (`assets/css/site.3f9a1c0b2d.css`) never changes under its name, so hosts may
cache it for a year (headers.CACHE_IMMUTABLE) and a deploy never mixes old and new files in a cache.
Names are known before pages render: theme files are hashed from their bytes (stylesheets and
scripts after the names they load are replaced), the search files from the search input and the
code that turns it into the index (they are built in the helper process while pages render).
Images keep their names (the logo is named in metadata other sites keep). No MkDocs imports.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
from pathlib import Path

from .headers import HASH_LENGTH, IMMUTABLE_DIRS, IMMUTABLE_EXTENSIONS

SEARCH_FILES = ("assets/search/index.json", "assets/search/docs.json")
# Text formats worth precompressing; below the threshold gzip saves less than a network packet.
COMPRESS_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".webmanifest")
COMPRESS_THRESHOLD = 1024


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(path: str, data: bytes) -> str:
    """`assets/css/site.css` -> `assets/css/site.<hash>.css`."""
    stem, dot, extension = path.rpartition(".")
    return f"{stem}.{digest(data)}.{extension}" if dot else f"{path}.{digest(data)}"


def is_fingerprinted(path: str) -> bool:
    """Theme files that get a hashed name: under the immutable folders, with an asset extension."""
    return path.startswith(IMMUTABLE_DIRS) and path.rpartition(".")[2] in IMMUTABLE_EXTENSIONS


def search_names(search_input: object, code: bytes) -> dict[str, str]:
    """Hashed names of the search files, from what they are built from (repr of the search docs) and the
    code that builds them (search.code_fingerprint)."""
    hasher = hashlib.sha256(repr(search_input).encode("utf-8"))
    hasher.update(code)
    tag = hasher.hexdigest()[:HASH_LENGTH]
    return {path: path.replace(".json", f".{tag}.json") for path in SEARCH_FILES}


def _stage(path: str) -> int:
    """Fonts and data first, then stylesheets (they load fonts), then scripts (they load the rest)."""
    if path.endswith(".css"):
        return 1
    return 2 if path.endswith(".js") and not path.startswith("assets/vendor/") else 0


def _css_references(css: str, path: str, names: dict[str, str]) -> str:
    """url(...) in a stylesheet points at the fingerprinted names (paths relative to the stylesheet)."""
    folder = posixpath.dirname(path)

    def replace(match: re.Match) -> str:
        quote, reference = match.groups()
        target, suffix = re.fullmatch(r"([^?#]*)(.*)", reference).groups()
        logical = posixpath.normpath(posixpath.join(folder, target))
        if logical not in names:
            return match.group(0)
        return f"url({quote}{posixpath.relpath(names[logical], folder)}{suffix}{quote})"

    return _CSS_URL.sub(replace, css)


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def fingerprint_assets(assets: dict[str, bytes], known: dict[str, str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """Name every asset by its content; stylesheets and scripts first have the names they load replaced.

    `assets` maps logical path -> bytes; `known` holds names decided elsewhere (the search files).
    Returns (logical -> published name, published name -> bytes)."""
    names = dict(known)
    published: dict[str, bytes] = {}
    for path in sorted(assets, key=lambda path: (_stage(path), path)):
        data = assets[path]
        if path.endswith(".css"):
            data = _css_references(data.decode("utf-8"), path, names).encode("utf-8")
        elif _stage(path) == 2:
            text = data.decode("utf-8")
            for logical, name in names.items():
                text = text.replace(logical, name)
            data = text.encode("utf-8")
        names[path] = hashed_name(path, data)
        published[names[path]] = data
    return names, published


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9 without a file name and with mtime 0, so two builds write the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def precompress(site_dir: Path, cache_dir: Path | None = None, threshold: int = COMPRESS_THRESHOLD) -> int:
    """Write `<file>.gz` beside each large text file that has none yet (pages come compressed from
    page_output); returns the count. Files of CACHED_SIZE or more (the editor's scripts, the same every
    build) are kept in `cache_dir` by content hash: -9 on 6 MB of JavaScript costs seconds."""
    count = 0
    for folder, _dirs, files in os.walk(site_dir):
        present = set(files)
        for name in files:
            if not name.endswith(COMPRESS_SUFFIXES) or name + ".gz" in present:
                continue
            path = Path(folder, name)
            data = path.read_bytes()
            if len(data) < threshold:
                continue
            Path(folder, name + ".gz").write_bytes(_cached_gzip(data, cache_dir))
            count += 1
    return count


CACHED_SIZE = 64 * 1024


def _cached_gzip(data: bytes, cache_dir: Path | None) -> bytes:
    if cache_dir is None or len(data) < CACHED_SIZE:
        return gzip_bytes(data)
    entry = cache_dir / f"{hashlib.sha256(data).hexdigest()}.gz"
    try:
        compressed = entry.read_bytes()
        if gzip.decompress(compressed) == data:  # a damaged entry is compressed again
            return compressed
    except (OSError, EOFError, gzip.BadGzipFile):
        pass
    compressed = gzip_bytes(data)
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = entry.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(compressed)
    temporary.replace(entry)
    return compressed
