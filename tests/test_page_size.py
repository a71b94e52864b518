"""Per-page size must not grow with the catalogue: no page but the lists carries the whole navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, Project, make_project

# With the fixture's own 2: 500 procedures. A page that carried the whole navigation would be several
# times larger at this size already (about 100 bytes per procedure); 2,000 took four times as long.
CLONES = 498
PAGE = "thu-tuc/dang-ky-khai-sinh-1-001193/"


def _clone_catalogue(content: Path) -> None:
    """Add CLONES procedures copied from the fixture's, each with its own code and title."""
    sources = sorted((content / "procedures").rglob("*.yml"))
    originals = [(s, s.read_text("utf-8")) for s in sources]
    for number in range(CLONES):
        source, text = originals[number % len(originals)]
        code = f"9.{number:06d}"
        text = re.sub(r'^code: .*$', f'code: "{code}"', text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^title: (.*)$", rf"title: \1 (bản thử số {number})", text, count=1, flags=re.MULTILINE)
        (source.parent / f"{code}-ban-thu.yml").write_text(text, "utf-8")


@pytest.fixture(scope="module")
def small_and_large(tmp_path_factory: pytest.TempPathFactory, published) -> tuple[Project, Project]:
    """The published minimal fixture (2 procedures) and the same with CLONES more."""
    large = make_project(tmp_path_factory.mktemp("large") / "p", FIXTURES / "minimal")
    _clone_catalogue(large.content)
    result = large.build()
    assert result.returncode == 0, result.stderr[-3000:]
    return published[0], large


def test_large_catalogue_is_really_built(small_and_large: tuple[Project, Project]):
    _small, large = small_and_large
    assert len(list((large.site / "thu-tuc").glob("*/index.html"))) == CLONES + 2


def test_procedure_page_does_not_grow_with_the_catalogue(small_and_large: tuple[Project, Project]):
    small, large = small_and_large
    small_size = len(small.html(PAGE).encode())
    large_size = len(large.html(PAGE).encode())
    assert large_size <= small_size * 1.10, f"{small_size} bytes with 2 procedures, {large_size} with {CLONES + 2}"


def test_field_page_is_a_list_and_may_grow_but_other_pages_do_not(small_and_large: tuple[Project, Project]):
    small, large = small_and_large
    # Lists grow by nature (they are the navigation); everything else stays the same size.
    assert len(large.html("linh-vuc/ho-tich/")) > 10 * len(small.html("linh-vuc/ho-tich/"))
    for page in ("gioi-thieu/", "404.html"):
        assert len(large.html(page).encode()) <= len(small.html(page).encode()) * 1.10, page
