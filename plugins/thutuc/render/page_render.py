"""The project's renderer for generated pages: a theme template, a context, bytes on disk.

A full build lets MkDocs call the template (the plugin adds its context in on_page_context); the
preview renders the pages an edit touches itself, through plugin.render_generated, which gives the
template the same context. Our templates read only `page`, `config` and the `url` filter (which reads
`page` and `base_url`) of what MkDocs puts in a context, so these three keys are the whole base.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any


def base_url(page_url: str) -> str:
    """The site root relative to a page URL, as MkDocs computes it ("thu-tuc/x/" -> "../..")."""
    folder, _, last = page_url.rpartition("/")
    path = folder if "." in last else page_url
    depth = len([part for part in posixpath.normpath("/" + path).split("/") if part])
    return "/".join([".."] * depth) or "."


def base_context(page: Any, config: Any) -> dict[str, Any]:
    """The part of a page's context that MkDocs would give: the page, the configuration, the root."""
    return {"page": page, "config": config, "base_url": base_url(page.url)}


def render(env: Any, template: str, context: dict[str, Any]) -> str:
    return env.get_template(template).render(context)


def page_bytes(html: str) -> bytes:
    """A page as written to disk: UTF-8, characters it cannot hold as references (as MkDocs writes)."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


def write_file(target: Path, data: bytes) -> None:
    """Write through a temporary file and rename: a reader (the preview's server, a search running in
    the browser) sees the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


def write_outputs(site_dir: Path, outputs: dict[str, bytes | Path], only_missing: bool = False) -> int:
    """Write generated files (search index, form files, statistics download) by site path: the one
    writer the build and the preview share. A Path is copied. Files already identical are left
    alone; with only_missing, existing files are too (form files never change under a URL without a
    full build). Returns how many files were written."""
    written = 0
    for url, source in outputs.items():
        target = site_dir / url
        if target.exists() and only_missing:
            continue
        data = source.read_bytes() if isinstance(source, Path) else source
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        write_file(target, data)
        written += 1
    return written
