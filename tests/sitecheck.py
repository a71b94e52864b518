"""Helpers shared by the robustness tests: fingerprints of a built site and checks of editor messages."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

from conftest import Project

# Letters only Vietnamese uses (beyond ASCII): a message without any is not a Vietnamese sentence.
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def tree_hashes(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under folder (symlinks by their target text)."""
    hashes: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            hashes[relative] = "symlink:" + str(path.readlink())
        elif path.is_file():
            hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            hashes[relative] = "dir"
    return hashes


def copy_project(source: Project, destination: Path) -> Project:
    """A copy of a project folder, so each test breaks its own copy.

    The site is copied as hard links (fast): a build that wrote into it instead of swapping a new
    folder in would change the original too, which the hash comparison still catches.
    """
    shutil.copytree(source.root, destination, symlinks=True, ignore=lambda folder, names: ["site"] if Path(folder) == source.root else [])
    if source.site.exists():
        shutil.copytree(source.site, destination / "site", symlinks=True, copy_function=os.link)
    return Project(destination)


def siblings(project: Project) -> list[str]:
    """What lies next to content/ and site/: a stray `site.building-*` or `site.old` would show here.

    `.cache/` (parsed files kept between builds and checks) is the project's own, not a build leftover;
    `deploy/` (server configurations) is the build's output beside the site.
    """
    return sorted(p.name for p in project.root.iterdir() if p.name not in (".cache", "deploy"))


def problem_lines(output: str, path: str, line: int) -> list[str]:
    """Lines of editor output that point at `path:line:`."""
    prefix = f"{path}:{line}:"
    return [text for text in output.splitlines() if text.startswith(prefix)]


def set_plugin_option(project: Project, option: str) -> None:
    """Add `option` (e.g. "max_form_size_mb: 1") to the thutuc plugin's options in mkdocs.yml."""
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    marker = "  - thutuc:\n"
    assert marker in text, "mkdocs.yml no longer lists the thutuc plugin as expected"
    config.write_text(text.replace(marker, f"{marker}      {option}\n", 1), "utf-8")


def published_asset(site: Path, logical: str) -> Path:
    """The file a logical asset path (`assets/css/site.css`) is published as: itself, or its fingerprinted name."""
    if (site / logical).is_file():
        return site / logical
    stem, _, extension = logical.rpartition(".")
    found = sorted(site.glob(f"{stem}.{'[0-9a-f]' * 10}.{extension}"))
    assert len(found) == 1, f"{logical}: published as {found}"
    return found[0]


def logical_name(path: str) -> str:
    """`assets/css/site.3f9a1c0b2d.css` -> `assets/css/site.css` (fingerprint.hashed_name undone)."""
    return re.sub(r"\.[0-9a-f]{10}(\.[a-z0-9]+)$", r"\1", path)


_REFRESH = re.compile(r'<meta[^>]*http-equiv="?refresh', re.I)


def is_redirect_page(path: Path) -> bool:
    """A static redirect page of a moved address (address_register.py): no content, noindex, no portal chrome."""
    return bool(_REFRESH.search(path.read_text("utf-8")[:2000]))


def content_pages(paths) -> list[Path]:
    """The pages among paths that are not redirect pages of moved addresses."""
    return [path for path in paths if not is_redirect_page(path)]
