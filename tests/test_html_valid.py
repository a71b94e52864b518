"""Every generated HTML page passes the Nu HTML Checker (vnu.jar from npm) with zero errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.required import missing_tool
from support.site_pages import html_files

REPO = Path(__file__).resolve().parent.parent
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_vnu(files: list[Path]) -> list[dict]:
    """Check all files in one JVM start; returns vnu's error messages."""
    java = shutil.which("java")
    if not java:
        missing_tool("java is missing: apt-get install default-jre-headless")
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR} is missing: run 'npm ci' (python3 build.py test does it)")
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stderr or result.stdout or "{}")  # vnu writes its report to stderr
    messages = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    assert messages or result.returncode == 0, result.stdout + result.stderr
    return messages


BAD_PAGE = '<!doctype html><html lang="vi"><title>x</title><p><div id="a"></div><span id="a"></span>'


@pytest.fixture(scope="module")
def vnu_messages(sample_site, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """One checker run (one JVM start) over a page with known errors and every generated page: messages by file."""
    bad = tmp_path_factory.mktemp("vnu") / "bad.html"
    bad.write_text(BAD_PAGE, "utf-8")
    files = html_files(sample_site.site)
    assert len(files) > 40, files
    assert sample_site.site / "thong-ke" / "index.html" in files  # inline SVG charts (test_statistics.py)
    by_file: dict[str, list[dict]] = {"bad": [], "site": []}
    for message in run_vnu([bad, *files]):
        by_file["bad" if message.get("url", "").endswith("/bad.html") else "site"].append(message)
    return by_file


def test_the_checker_catches_errors(vnu_messages):
    """A page with known errors is reported: the check below cannot pass by accident."""
    assert any("Duplicate ID" in m["message"] for m in vnu_messages["bad"]), vnu_messages["bad"]


def test_every_generated_page_is_valid_html(sample_site, vnu_messages):
    lines = []
    for m in vnu_messages["site"]:
        where = m.get("url", "").replace(sample_site.site.resolve().as_uri() + "/", "")
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m['message']}  [{(m.get('extract') or '').strip()[:100]}]")
    if lines:
        pytest.fail(f"{len(lines)} Nu HTML Checker errors:\n" + "\n".join(lines[:80]), pytrace=False)


class _InlineCode(HTMLParser):
    """Finds what the strict CSP would block: inline scripts and styles, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}>"
        if tag == "script" and not names.get("src") and names.get("type") != "application/ld+json":
            self.found.append(f"{where} inline script")
        if tag == "style":
            self.found.append(f"{where} <style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{where} {name}= attribute")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{where} javascript: URL")


def test_no_inline_script_or_style_in_any_page(sample_site):
    """Every page, not only those the browser visits, keeps to script-src 'self'; style-src 'self'."""
    problems = []
    for path in html_files(sample_site.site):
        parser = _InlineCode()
        parser.feed(path.read_text("utf-8"))
        problems += [f"{path.relative_to(sample_site.site)}: {item}" for item in parser.found]
    assert not problems, "\n".join(problems[:50])


def test_inline_code_finder_finds_inline_code():
    parser = _InlineCode()
    parser.feed('<p style="x" onclick="y"><script>z()</script><script type="application/ld+json">{}</script><style></style>')
    assert len(parser.found) == 4, parser.found
