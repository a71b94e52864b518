"""Shared test helpers: build real sites from content trees and read the generated HTML."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.cli_runner import CliRunner

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_CONTENT = REPO / "content"

# Elements whose content browsers read as text, not markup (HTML spec: raw text and escapable raw text).
# html.parser only knows script and style; the minifier legitimately leaves "<" unescaped inside
# <title>, so test parsers must treat title and textarea the way browsers do.
RAW_TEXT_ELEMENTS = ("script", "style", "title", "textarea")
CLI = CliRunner()


def pytest_unconfigure(config: pytest.Config) -> None:
    CLI.close()


@dataclass
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run the editors' CLI (as build.py does) inside this project: `python -m thutuc.host.cli ARGS`, forked
        from a process that has imported it already (support/cli_runner.py; THUTUC_TESTS_FORK=0: a new Python)."""
        if os.environ.get("THUTUC_TESTS_FORK") == "0":
            return subprocess.run([sys.executable, "-m", "thutuc.host.cli", *args], cwd=self.root, capture_output=True,
                                  text=True, timeout=600)
        return CLI.run(list(args), self.root)

    def build(self) -> subprocess.CompletedProcess:
        return self.run("build")

    def html(self, url_path: str) -> str:
        path = self.site / url_path.strip("/") / "index.html" if not url_path.endswith(".html") else self.site / url_path
        return path.read_text("utf-8")


def make_project(destination: Path, content: Path, *, extra_config: str = "") -> Project:
    """A project folder with a copy of `content` and the repository's mkdocs.yml and theme."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, destination / "content", symlinks=True)
    (destination / "content" / "pages").mkdir(exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    (destination / "mkdocs.yml").write_text(config + extra_config, "utf-8")
    return Project(destination)


# What a test (or a fixture it uses) calls when it builds a site or runs the editors' CLI in a new process.
_BUILDS = re.compile(r"\bmake_project\(|\.build\(|\.run\(|thutuc\.cli|build\.py|Popen\(")


def _builds(function: object) -> bool:
    try:
        return bool(_BUILDS.search(inspect.getsource(function)))
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser and slow tests (build.py test --fast leaves both out: what stays are the quick tests of
    the code itself, for editing loops).

    Every test that drives Chromium is a browser test; a test that builds a site or runs a command in a
    new process, itself or through one of its fixtures, is slow."""
    for item in items:
        if "chromium_browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        fixtures = [d[-1].func for d in definitions if d]
        if any(_builds(function) for function in [getattr(item, "function", None), *fixtures]):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def minimal_project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project", FIXTURES / "minimal")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, str]]:
    """The minimal fixture built once per test module: (project, hashes of its site) to compare with.

    Modules that need another published site (other options, a statistics file) override this fixture."""
    from sitecheck import tree_hashes

    project = make_project(tmp_path_factory.mktemp("published") / "project", FIXTURES / "minimal")
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project, tree_hashes(project.site)


@pytest.fixture
def project(published: tuple[Project, dict[str, str]], tmp_path: Path) -> Project:
    """A fresh copy of the published project (content and site) for one test to break."""
    from sitecheck import copy_project

    return copy_project(published[0], tmp_path / "project")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's own sample content, built once per test session."""
    project = make_project(tmp_path_factory.mktemp("sample") / "project", SAMPLE_CONTENT)
    result = project.build()
    assert result.returncode == 0, result.stderr + result.stdout
    return project


@pytest.fixture(scope="session")
def served_sample(sample_site: Project):
    """The built sample site over HTTP on 127.0.0.1 with the strict CSP; yields the base URL."""
    from support.site_server import serve_site

    with serve_site(sample_site.site) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium for the whole session (never Playwright's own browser builds)."""
    from support.browser import launch_chromium

    with launch_chromium() as browser:
        yield browser
