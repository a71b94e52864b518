"""Reproducible builds: two builds of the same commit give byte-identical sites.

The sample catalogue is committed to a throw-away git repository (fixed commit date), cloned to a
second place (fresh file times, another path) and built in both with different hash seeds, so set
ordering, absolute paths, file times and the clock would all show up as differing bytes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitecheck import tree_hashes
from support.required import missing_tool
from test_forms import DEFINITIONS, definition_of, generated

from conftest import SAMPLE_CONTENT, Project, make_project

COMMIT_DATE = "2025-06-15T10:00:00+07:00"


def _git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(
        ["git", "-c", "user.name=Thử nghiệm", "-c", "user.email=test@example.vn", "-c", "init.defaultBranch=main", *args],
        cwd=folder, env=env, check=True, capture_output=True,
    )


def _build(project: Project, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        [sys.executable, "-m", "thutuc.host.cli", "build"], cwd=project.root, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Project]:
    if shutil.which("git") is None:
        missing_tool("git is needed to build from a commit: apt-get install git")
    first = make_project(tmp_path_factory.mktemp("first") / "project", SAMPLE_CONTENT)
    _git(first.root, "init", "-q")
    _git(first.root, "add", "-A")
    _git(first.root, "commit", "-q", "-m", "Mẫu")
    second = Project(tmp_path_factory.mktemp("second") / "clone")
    _git(second.root.parent, "clone", "-q", str(first.root), second.root.name)
    for project, seed in ((first, "1"), (second, "2")):
        result = _build(project, seed)
        assert result.returncode == 0, result.stderr
    return first, second


def _first_difference(a: Path, b: Path) -> str:
    try:
        left, right = a.read_text("utf-8").splitlines(), b.read_text("utf-8").splitlines()
    except UnicodeDecodeError:
        return "(binary files differ)"
    return "\n".join(list(difflib.unified_diff(left, right, lineterm="", n=0))[:12])


def test_two_builds_of_the_same_commit_are_byte_identical(two_builds):
    first, second = two_builds
    left, right = tree_hashes(first.site), tree_hashes(second.site)
    assert sorted(left) == sorted(right), set(left) ^ set(right)
    assert len([name for name in left if name.endswith(".html")]) > 40
    differing = [name for name in left if left[name] != right[name]]
    details = "\n".join(f"{name}:\n{_first_difference(first.site / name, second.site / name)}" for name in differing[:3])
    assert not differing, f"{len(differing)} files differ:\n{details}"


def test_output_carries_no_build_time_or_build_path(two_builds):
    first, _ = two_builds
    today = dt.datetime.now(dt.UTC).date()
    stamps = {today.isoformat(), f"{today.day:02d}/{today.month:02d}/{today.year}", f"{today.day}/{today.month}/{today.year}"}
    for path in first.site.rglob("*"):
        if not path.is_file() or path.suffix in (".gz", ".pdf", ".docx", ".odt", ".doc", ".png", ".ico"):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for stamp in stamps:
            assert stamp not in text, f"{path.relative_to(first.site)} contains today's date {stamp}"
        assert str(first.root) not in text, f"{path.relative_to(first.site)} contains the build folder"


def test_compressed_sitemap_has_no_build_time(two_builds):
    first, _ = two_builds
    gz = first.site / "sitemap.xml.gz"
    assert gz.exists(), "the build publishes sitemap.xml.gz"
    header_mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
    now = dt.datetime.now(dt.UTC).timestamp()
    assert header_mtime == 0 or now - header_mtime > 2 * 86400, "gzip header carries the build time"
    assert gzip.decompress(gz.read_bytes()) == (first.site / "sitemap.xml").read_bytes()


def test_two_builds_give_byte_identical_generated_forms(two_builds):
    """Every form definition of the sample gives the same .docx, .odt and .pdf bytes in both builds."""
    first, second = two_builds
    compared = 0
    for path in DEFINITIONS:
        definition = definition_of(path)
        for extension in (".docx", ".odt", ".pdf"):
            assert generated(first.site, definition, extension) == generated(second.site, definition, extension), (path.name, extension)
            compared += 1
    assert compared == 3 * len(DEFINITIONS)
