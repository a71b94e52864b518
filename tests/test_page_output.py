"""Pages minified in the helper process are byte for byte what the build process would write itself."""

from __future__ import annotations

from pathlib import Path

from conftest import Project
from thutuc.render.linkgraph import scan_html
from thutuc.render.minify import minify_page
from thutuc.render.page_output import finish_pages, write_finished

PAGE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>Đăng ký khai sinh</title>
</head>
<body>
  <p>Lệ phí:   <strong>miễn</strong> <a href="../linh-vuc/ho-tich/">Hộ tịch</a></p>
  <pre>  giữ   nguyên  </pre>
</body>
</html>
"""


def test_helper_output_matches_minifying_here(tmp_path: Path):
    target = tmp_path / "thu-tuc" / "x" / "index.html"
    finished = finish_pages([(str(target), "/thu-tuc/x/", PAGE), (None, "/khac/", PAGE)])
    scans: dict = {}
    write_finished(finished, scans)
    assert target.read_bytes() == minify_page(PAGE).encode("utf-8")
    assert len(target.read_bytes()) < len(PAGE.encode("utf-8"))
    assert scans["/thu-tuc/x/"].clicks == ["../linh-vuc/ho-tich/"] == scans["/khac/"].clicks
    assert scans["/thu-tuc/x/"] == scan_html(minify_page(PAGE))
    assert not (tmp_path / "khac").exists(), "a page MkDocs writes itself is only scanned"


def test_every_built_page_is_minified(sample_site: Project):
    pages = sorted(sample_site.site.rglob("*.html"))
    assert len(pages) > 80
    for page in pages:
        html = page.read_text("utf-8")
        assert minify_page(html) == html, f"{page} is not minified"
