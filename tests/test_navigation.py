"""Browse paths, breadcrumbs, the site map and the three-click rule, read back from real builds.

The click-depth walk here is written independently of thutuc.render.linkgraph on purpose: a bug shared by the
production check and its test would otherwise go unnoticed.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from sitecheck import content_pages

from conftest import FIXTURES, RAW_TEXT_ELEMENTS, Project, make_project
from thutuc.render.linkgraph import check_site, format_report
from thutuc.vi.collation import collation_key, first_letter, sort_vi

BASE = "http://test.invalid/"


class Anchors(HTMLParser):
    """<a href> targets with their text, element ids, h1 texts and the breadcrumbs trail of one page."""

    CDATA_CONTENT_ELEMENTS = RAW_TEXT_ELEMENTS

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self.crumbs: list[str] = []
        self._href: str | None = None
        self._text = ""
        self._in_h1 = False
        self._in_crumbs = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href") is not None:
            self._href, self._text = attributes["href"], ""
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        if tag == "nav" and "breadcrumbs" in (attributes.get("class") or ""):
            self._in_crumbs = True

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            if self._in_crumbs:
                self.crumbs.append(" ".join(self._text.split()))
            self._href = None
        if tag == "h1":
            self._in_h1 = False
        if tag == "nav":
            self._in_crumbs = False

    def handle_data(self, data):
        if self._href is not None:
            self._text += data
        if self._in_h1:
            self.h1[-1] += data


def read(site: Path, path: str) -> Anchors:
    parser = Anchors()
    parser.feed((site / path.strip("/") / "index.html").read_text("utf-8") if path.strip("/") else (site / "index.html").read_text("utf-8"))
    return parser


def walk(site: Path) -> dict[str, int]:
    """Clicks from the home page to every page, following only <a href> between HTML pages."""
    depths = {"/": 0}
    queue = deque(["/"])
    while queue:
        page = queue.popleft()
        file = site / page.strip("/") / "index.html"
        if not file.exists():
            continue
        parser = Anchors()
        parser.feed(file.read_text("utf-8"))
        for href, _text in parser.links:
            target = urlsplit(urljoin(BASE + page.lstrip("/"), href))
            if f"{target.scheme}://{target.netloc}/" != BASE:
                continue
            path = unquote(target.path)
            if not path.endswith("/"):
                continue  # files (forms, assets): not pages
            if path not in depths:
                depths[path] = depths[page] + 1
                queue.append(path)
    return depths


def procedure_paths(site: Path) -> list[str]:
    """Procedures in force: notices of abolished ones and redirects of moved addresses are noindex (test_lifecycle.py)."""
    return sorted(f"/thu-tuc/{p.parent.name}/" for p in (site / "thu-tuc").glob("*/index.html") if "noindex" not in p.read_text("utf-8"))


# --- the sample catalogue -------------------------------------------------------------------------------


def test_every_sample_procedure_is_within_three_clicks(sample_site: Project):
    depths = walk(sample_site.site)
    procedures = procedure_paths(sample_site.site)
    assert len(procedures) >= 30
    too_deep = {p: depths.get(p) for p in procedures if depths.get(p) is None or depths[p] > 3}
    assert not too_deep, too_deep


def test_build_summary_names_the_deepest_procedure(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "minimal")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert re.search(r"Thủ tục xa trang chủ nhất: /thu-tuc/[a-z0-9-]+/ \(\d lần nhấp\)", result.stdout), result.stdout


def test_home_page_has_every_browse_path(sample_site: Project):
    home = read(sample_site.site, "")
    targets = {urlsplit(urljoin(BASE, href)).path for href, _ in home.links}
    for prefix in ("/linh-vuc/", "/co-quan/", "/cap/", "/danh-cho/", "/su-kien/", "/a-z/"):
        assert any(t.startswith(prefix) and t != prefix for t in targets), f"no list under {prefix} on the home page"
    for section in ("theo-co-quan", "theo-cap", "theo-danh-cho", "theo-su-kien", "theo-a-z", "dung-nhieu"):
        assert section in home.ids, section
    assert {"/danh-cho/cong-dan/", "/danh-cho/doanh-nghiep/"} <= targets
    assert "/so-do-cong/" in targets and "/gioi-thieu/" in targets and "/dich-vu-cong-truc-tuyen/" in targets


def test_most_used_block_follows_the_configured_codes(sample_site: Project):
    html = sample_site.html("")
    block = html[re.search(r'id="?dung-nhieu"?', html).start():]
    block = block[: block.index("</section>")]
    codes = re.findall(r"Mã (\d\.\d{6})", block)
    assert codes[:4] == ["1.001193", "1.000894", "1.004222", "1.004194"]


def test_authority_level_pages_use_configured_names(sample_site: Project):
    page = read(sample_site.site, "cap/xa/")
    assert page.h1 == ["Thủ tục cấp xã"]
    links = [href for href, _ in page.links if "thu-tuc/" in href]
    assert links, "cap/xa/ lists no procedure"


def test_lists_link_straight_to_procedures_in_vietnamese_order(sample_site: Project):
    site = sample_site.site
    for folder in ("co-quan", "cap", "danh-cho", "su-kien", "a-z", "linh-vuc"):
        for file in sorted((site / folder).glob("*/index.html")):
            parser = Anchors()
            parser.feed(file.read_text("utf-8"))
            main = [(h, t) for h, t in parser.links if re.search(r"thu-tuc/[^/]+/$", h)]  # not the menu link to /thu-tuc/
            assert main, f"{file} lists no procedure"
            titles = [t for _h, t in main]
            assert titles == sort_vi(titles), f"{file} is not in Vietnamese order: {titles}"


def test_a_to_z_pages_file_titles_under_their_vietnamese_first_letter(sample_site: Project):
    site = sample_site.site
    overview = read(site, "a-z/")
    letters = [href for href, _ in overview.links if re.fullmatch(r"[a-z]{1,2}/|khac/", href)]
    assert letters
    seen = 0
    for file in sorted((site / "a-z").glob("*/index.html")):
        parser = Anchors()
        parser.feed(file.read_text("utf-8"))
        heading = parser.h1[0]
        letter = heading.rsplit(" ", 1)[-1].lower()
        for _href, title in (link for link in parser.links if re.search(r"thu-tuc/[^/]+/$", link[0])):
            assert first_letter(title) == letter, (file, title)
            seen += 1
    assert seen == len(procedure_paths(site))
    # "Đ" is its own letter, after "D": the Đăng ký… procedures are on a-z/dd/, in Telex spelling.
    assert "/thu-tuc/dang-ky-khai-sinh-1-001193/" in {urlsplit(urljoin(BASE + "a-z/dd/", h)).path for h, _ in read(site, "a-z/dd/").links}


def test_every_page_but_home_has_breadcrumbs_starting_at_home(sample_site: Project):
    site = sample_site.site
    pages = content_pages(p for p in site.rglob("index.html") if p != site / "index.html")
    assert len(pages) > 60
    for file in pages:
        parser = Anchors()
        parser.feed(file.read_text("utf-8"))
        assert parser.crumbs and parser.crumbs[0] == "Trang chủ", file
    procedure = read(site, "thu-tuc/dang-ky-khai-sinh-1-001193/")
    assert procedure.crumbs == ["Trang chủ", "Lĩnh vực", "Hộ tịch"]


def test_site_map_lists_every_list_page_and_procedure(sample_site: Project):
    site = sample_site.site
    page = read(site, "so-do-cong/")
    assert page.h1 == ["Sơ đồ cổng"]
    targets = {urlsplit(urljoin(BASE + "so-do-cong/", h)).path for h, _ in page.links}
    public = re.findall(r"<loc>https://thutuc\.mau\.example\.vn(/[^<]*)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert len(public) > 60
    for path in public:
        assert path in targets, f"{path} missing from the site map"


def test_menu_and_footer_of_article_16(sample_site: Project):
    html = sample_site.html("so-do-cong/")
    menu = html[re.search(r'class="?portal-menu"?', html).start():]
    menu = menu[: menu.index("</nav>")]
    for label in ("Trang chủ", "Giới thiệu", "Dịch vụ công trực tuyến", "Sơ đồ cổng"):
        assert f">{label}</a>" in menu
    footer = html[html.index("portal-footer"):]
    for text in ("Văn phòng Ủy ban nhân dân tỉnh Mẫu", "Số 1 đường Trung tâm", "0200 3800 000", "mailto:gopy@mau.example.vn"):
        assert text in footer


def test_404_page_is_vietnamese_with_search_and_home_link(sample_site: Project):
    html = (sample_site.site / "404.html").read_text("utf-8")
    assert "Không tìm thấy trang" in html
    root = lxml.html.fromstring(html)
    assert root.xpath('//*[@role="search"]//input[@name="q"]'), "a search box"
    # Root-relative links: a 404 page is served at any depth.
    assert root.xpath('//a[@href="/." or @href="/"]'), "a link to the home page"


# --- failing builds -------------------------------------------------------------------------------------


def _set_option(project: Project, old: str, new: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert old in text
    config.write_text(text.replace(old, new), "utf-8")


def test_a_procedure_deeper_than_max_clicks_fails_and_keeps_the_previous_site(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "minimal")
    assert project.build().returncode == 0
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    # Only the birth registration is on the home page: the other procedure needs two clicks.
    text = (project.root / "mkdocs.yml").read_text("utf-8")
    text = re.sub(r"most_used: \[.*\]", 'most_used: ["1.001193"]', text).replace("max_clicks: 3", "max_clicks: 1")
    (project.root / "mkdocs.yml").write_text(text, "utf-8")
    result = project.build()
    assert result.returncode == 1
    assert "Kiểm tra liên kết không đạt, chưa xuất bản" in result.stderr
    assert "/thu-tuc/dang-ky-tam-tru-1-004194/: cần 2 lần nhấp từ trang chủ (tối đa 1)" in result.stderr
    assert re.search(r"Đường đi: / → /[a-z0-9/-]+/ → /thu-tuc/dang-ky-tam-tru-1-004194/", result.stderr), result.stderr
    assert "/thu-tuc/dang-ky-khai-sinh-1-001193/:" not in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.root.glob("site.building-*"))


def test_broken_anchor_in_content_fails_the_build(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "minimal")
    file = project.content / "procedures/cu-tru/1.004194-dang-ky-tam-tru.yml"
    text = file.read_text("utf-8")
    assert "requirements:" in text
    text = text.replace("  - Sinh sống từ **30 ngày** trở lên.",
                        "  - Sinh sống từ **30 ngày** trở lên; xem [mục phí](#muc-khong-co) và [trình tự](#trinh-tu).")
    file.write_text(text, "utf-8")
    result = project.build()
    assert result.returncode == 1, result.stdout
    assert "1 neo (#) hỏng" in result.stderr
    assert "“#muc-khong-co”" in result.stderr and "/thu-tuc/dang-ky-tam-tru-1-004194/" in result.stderr
    assert "#trinh-tu" not in result.stderr  # a real anchor is fine
    assert not project.site.exists()


# --- the link checker on hand-written sites ------------------------------------------------------------------


def _write(site: Path, path: str, body: str) -> None:
    file = site / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(f"<!doctype html><html><body>{body}</body></html>", "utf-8")


def test_link_checker_reports_every_kind_of_problem(tmp_path: Path):
    site = tmp_path / "site"
    _write(site, "index.html", '<a href="a/">A</a> <a href="a/#there">A there</a> <a href="a/#nowhere">bad</a> '
                               '<a href="missing/">x</a> <a href="https://other.example/">ext</a> <a href="mailto:a@b.vn">m</a>'
                               '<img src="logo.svg" alt="">')
    _write(site, "a/index.html", '<h2 id="there">t</h2><a href="../b/">B</a><a href="../f/form.pdf">form</a>')
    _write(site, "b/index.html", '<a href="../thu-tuc/deep/">deep</a>')
    _write(site, "thu-tuc/deep/index.html", '<a href="../../">home</a><a href="https://example.vn/a/">self, absolute</a>')
    _write(site, "thu-tuc/lost/index.html", "")
    report = check_site(site, "https://example.vn/", ["/thu-tuc/deep/", "/thu-tuc/lost/"], max_clicks=2)
    assert report.depths["/thu-tuc/deep/"] == 3
    assert report.click_path("/thu-tuc/deep/") == ["/", "/a/", "/b/", "/thu-tuc/deep/"]
    assert dict(report.too_deep) == {"/thu-tuc/deep/": 3, "/thu-tuc/lost/": None}
    kinds = sorted((p.kind, p.href) for p in report.problems)
    assert kinds == [("anchor", "a/#nowhere"), ("asset", "logo.svg"), ("link", "../f/form.pdf"), ("link", "missing/")]
    message = format_report(report, 2)
    assert "không thể đến từ trang chủ" in message and "cần 3 lần nhấp" in message
    assert "Đường đi: / → /a/ → /b/ → /thu-tuc/deep/" in message


def test_link_checker_accepts_a_clean_site_and_root_relative_links(tmp_path: Path):
    site = tmp_path / "site"
    _write(site, "index.html", '<a href="x/">X</a>')
    _write(site, "x/index.html", '<a href="../">home</a><a href="#top" id="top">top</a>')
    _write(site, "404.html", '<a href="/sub/.">home</a><a href="/sub/x/">x</a>')
    report = check_site(site, "https://example.vn/sub/", ["/x/"], max_clicks=3)
    assert report.ok, format_report(report, 3)
    assert report.deepest == ("/x/", 1)


def test_click_depth_is_the_shortest_path_whichever_link_comes_first(tmp_path: Path):
    """A walk that goes deep first (either from the first link or from the last) meets the procedure
    through a long branch and records 3 clicks; the fewest is 2, through the middle link."""
    site = tmp_path / "site"
    _write(site, "index.html", '<a href="dai-1/">1</a><a href="ngan/">2</a><a href="dai-2/">3</a>')
    for branch in ("dai-1", "dai-2"):
        _write(site, f"{branch}/index.html", f'<a href="../{branch}-tiep/">tiếp</a>')
        _write(site, f"{branch}-tiep/index.html", '<a href="../thu-tuc/p/">P</a>')
    _write(site, "ngan/index.html", '<a href="../thu-tuc/p/">P</a>')
    _write(site, "thu-tuc/p/index.html", '<a href="../../">home</a>')
    report = check_site(site, "https://example.vn/", ["/thu-tuc/p/"], max_clicks=2)
    assert report.depths["/thu-tuc/p/"] == 2
    assert report.click_path("/thu-tuc/p/") == ["/", "/ngan/", "/thu-tuc/p/"]
    assert report.ok, format_report(report, 2)


# --- Vietnamese collation ---------------------------------------------------------------------------------------


def test_vietnamese_collation_orders_letters_then_tones():
    words = ["cha", "cạ", "cá", "cả", "cà", "ca", "Đăng ký", "Dân", "Ăn", "Âm", "an", "ơn", "ôn", "on", "Ưu", "uy", "Xoá", "ã"]
    # "ã" is the syllable "a" with a tone: it comes before the longer syllable "an", as in dictionaries.
    assert sort_vi(words) == ["ã", "an", "Ăn", "Âm", "ca", "cà", "cả", "cá", "cạ", "cha", "Dân", "Đăng ký", "on", "ôn", "ơn", "uy",
                              "Ưu", "Xoá"]


def test_collation_treats_old_and_new_tone_placement_alike_and_goes_syllable_by_syllable():
    assert collation_key("hoà bình")[0] == collation_key("hòa bình")[0]
    # The first syllable decides first: every "ca …" comes before "cà".
    assert sort_vi(["cà phê", "ca sĩ", "ca dao", "cà"]) == ["ca dao", "ca sĩ", "cà", "cà phê"]
    assert sort_vi(["Đổi giấy phép", "Đăng ký", "Đề nghị"]) == ["Đăng ký", "Đề nghị", "Đổi giấy phép"]


@pytest.mark.parametrize(("title", "letter"), [("Đăng ký", "đ"), ("Ấn định", "â"), ("ưu tiên", "ư"), ("1 cửa", "#"), ("Cấp", "c")])
def test_first_letter(title: str, letter: str):
    assert first_letter(title) == letter


# --- most-used procedures and the portal's default pages ---------------------------------------------------------


def test_most_used_defaults_to_the_most_referenced_and_reports_unknown_codes():
    from thutuc.content.catalogue import load_catalogue
    from thutuc.site.browse import most_used

    catalogue = load_catalogue(FIXTURES / "minimal").catalogue
    chosen, unknown = most_used(catalogue, ())
    # Đăng ký tạm trú is named as related by Đăng ký khai sinh: it ranks first.
    assert [p.code for p in chosen] == ["1.004194", "1.001193"] and unknown == []
    chosen, unknown = most_used(catalogue, ("9.999999", "1.001193"))
    assert [p.code for p in chosen] == ["1.001193"] and unknown == ["9.999999"]


def test_unknown_most_used_code_is_a_vietnamese_warning_and_default_pages_exist(tmp_path: Path):
    project = make_project(tmp_path / "p", FIXTURES / "minimal")
    _set_option(project, 'most_used: ["1.001193"', 'most_used: ["9.999999", "1.001193"')
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml:1:1: plugins.thutuc.most_used: [cảnh báo] không có thủ tục nào mang mã “9.999999”" in result.stderr
    # content/pages is empty in this fixture: the menu's pages are built from the owner's details.
    about = read(project.site, "gioi-thieu/")
    assert about.h1 == ["Giới thiệu"]
    assert "Văn phòng Ủy ban nhân dân tỉnh Mẫu" in project.html("gioi-thieu/")
    online = read(project.site, "dich-vu-cong-truc-tuyen/")
    assert online.h1 == ["Dịch vụ công trực tuyến"]
